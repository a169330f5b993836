<#
.SYNOPSIS
Runs Pester 5 style test files with KrPester (for hosts without Pester).
.DESCRIPTION
Reports each failure with test name, file, line and message, ends with the line "N passed, N failed"
(", N skipped" when some were) and exits 1 when any test failed, 0 otherwise.
.PARAMETER Path
Test files or folders; a folder means every *.Tests.ps1 below it.
.PARAMETER Output
Normal prints failures; Detailed prints every test.
.EXAMPLE
./tools/Invoke-KrPester.ps1 -Path tests/pester
#>
[CmdletBinding()]
param(
    [Parameter(Mandatory, Position = 0, ValueFromRemainingArguments)] [string[]] $Path,
    [ValidateSet('Normal', 'Detailed')] [string] $Output = 'Normal'
)
Import-Module "$PSScriptRoot/KrPester/KrPester.psd1" -Force
$result = Invoke-KrPester -Path $Path -Output $Output
exit $(if ($result.FailedCount -gt 0) { 1 } else { 0 })
