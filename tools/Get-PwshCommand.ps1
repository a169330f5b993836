<#
.SYNOPSIS
The command line that starts, as a child process, the same PowerShell that runs the caller.

.DESCRIPTION
[Environment]::ProcessPath is the program of the current process. For an installed PowerShell it is pwsh
(pwsh.exe), which the child runs as is. For PowerShell installed as a .NET tool (what ./build.sh uses when
no pwsh 7.4+ is on PATH) it is `dotnet`: the tool's command is a shim that runs `dotnet <PSHOME>/pwsh.dll`.
The child is then started as `dotnet <PSHOME>/pwsh.dll` directly, so that the process started is
PowerShell itself (its id, memory and exit code are PowerShell's, not a shim's), in the same version.

Every place that starts a child PowerShell uses this script: build.ps1, the Pester tests
(tests/pester/TestHelpers.ps1), examples/load-test.ps1 and benches/KrJwt.Bench.ps1.

.OUTPUTS
System.String[]: the program, then the arguments that come before PowerShell's own (-NoProfile, -File, ...).

.EXAMPLE
$pwsh, $leading = & ./tools/Get-PwshCommand.ps1
& $pwsh @leading -NoProfile -File ./examples/quickstart.ps1
#>
[CmdletBinding()]
[OutputType([string[]])]
param()

$program = [Environment]::ProcessPath
if ([System.IO.Path]::GetFileNameWithoutExtension($program) -eq 'dotnet') {
    $entry = Join-Path $PSHOME 'pwsh.dll'
    if (-not (Test-Path -LiteralPath $entry)) {
        throw "This PowerShell runs under '$program' but $PSHOME has no pwsh.dll: cannot start it again as a child process."
    }
    return [string[]] @($program, $entry)
}
[string[]] @($program)
