# KrPester: the subset of Pester 5 that KrJwt's tests use, for hosts without Pester (the bundled host has
# only the core cmdlets, so this file uses the language and .NET APIs alone).
#
# As in Pester 5, a run has two phases per file. Discovery runs the file: Describe/Context run their
# bodies at once and record their setup blocks and tests. The run phase then executes the recorded tree.
#
# Test code runs in a session state of its own (a dynamic module per file), never in this module's: the
# scopes that Pester 5 promises (BeforeAll variables visible to the tests of its block and nested blocks,
# each test in a fresh child scope) are made there by a tiny scope-making script block bound to that
# session state, and everything else is dot-sourced into its current scope. The runner's own variables
# and helper functions thus stay invisible to tests, and test definitions cannot shadow the runner's.

Set-StrictMode -Version 3.0

# Discovery state: the block whose body is running, so that It/BeforeAll/... know where they belong.
$script:CurrentBlock = $null

# Operators whose actual value is all the pipeline input as one array, as in Pester 5; the others test
# each piped item on its own.
$script:ArrayInputOperators = @('Be', 'BeExactly', 'BeNullOrEmpty', 'HaveCount', 'Contain')

#region Discovery: the keywords a test file calls

function Describe {
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [Parameter(Mandatory, Position = 1)] [scriptblock] $Fixture,
        [string[]] $Tag,
        [switch] $Skip
    )
    Add-KrPesterBlock -Name $Name -Fixture $Fixture -Skip:$Skip -Invocation $MyInvocation
}

function Context {
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        [Parameter(Mandatory, Position = 1)] [scriptblock] $Fixture,
        [string[]] $Tag,
        [switch] $Skip
    )
    Add-KrPesterBlock -Name $Name -Fixture $Fixture -Skip:$Skip -Invocation $MyInvocation
}

function It {
    param(
        [Parameter(Mandatory, Position = 0)] [string] $Name,
        # Without a body the test is pending, reported as skipped (as Pester does).
        [Parameter(Position = 1)] [scriptblock] $Test,
        [Alias('ForEach')] [object[]] $TestCases,
        [string[]] $Tag,
        [switch] $Skip
    )
    $parent = Get-KrPesterCurrentBlock 'It'
    # One test per case; a case's keys become variables in the test, and <key> in the name its value.
    if (-not $PSBoundParameters.ContainsKey('TestCases')) { $TestCases = @($null) }
    foreach ($case in $TestCases) {
        $parent.Items.Add([pscustomobject]@{
                Kind   = 'It'
                Name   = Expand-KrPesterName -Name $Name -Case $case
                Body   = $Test
                Case   = $case
                Skip   = $Skip.IsPresent -or $parent.Skip -or $null -eq $Test
                Parent = $parent
                File   = $MyInvocation.ScriptName
                Line   = $MyInvocation.ScriptLineNumber
            })
    }
}

function BeforeAll {
    param([Parameter(Mandatory, Position = 0)] [scriptblock] $Scriptblock)
    (Get-KrPesterCurrentBlock 'BeforeAll').BeforeAll.Add($Scriptblock)
}

function AfterAll {
    param([Parameter(Mandatory, Position = 0)] [scriptblock] $Scriptblock)
    (Get-KrPesterCurrentBlock 'AfterAll').AfterAll.Add($Scriptblock)
}

function BeforeEach {
    param([Parameter(Mandatory, Position = 0)] [scriptblock] $Scriptblock)
    (Get-KrPesterCurrentBlock 'BeforeEach').BeforeEach.Add($Scriptblock)
}

function AfterEach {
    param([Parameter(Mandatory, Position = 0)] [scriptblock] $Scriptblock)
    (Get-KrPesterCurrentBlock 'AfterEach').AfterEach.Add($Scriptblock)
}

function New-KrPesterBlock([string] $Name, $Parent, [bool] $Skip, [string] $File, [int] $Line) {
    [pscustomobject]@{
        Kind       = 'Block'
        Name       = $Name
        Parent     = $Parent
        Skip       = $Skip
        File       = $File
        Line       = $Line
        Items      = [System.Collections.Generic.List[object]]::new()
        BeforeAll  = [System.Collections.Generic.List[scriptblock]]::new()
        AfterAll   = [System.Collections.Generic.List[scriptblock]]::new()
        BeforeEach = [System.Collections.Generic.List[scriptblock]]::new()
        AfterEach  = [System.Collections.Generic.List[scriptblock]]::new()
    }
}

function Add-KrPesterBlock([string] $Name, [scriptblock] $Fixture, [switch] $Skip, $Invocation) {
    $parent = Get-KrPesterCurrentBlock 'Describe'
    $block = New-KrPesterBlock -Name $Name -Parent $parent -Skip ($Skip.IsPresent -or $parent.Skip) `
        -File $Invocation.ScriptName -Line $Invocation.ScriptLineNumber
    $parent.Items.Add($block)
    $script:CurrentBlock = $block
    try {
        $null = & $Fixture
    }
    finally {
        $script:CurrentBlock = $parent
    }
}

function Get-KrPesterCurrentBlock([string] $Keyword) {
    if ($null -eq $script:CurrentBlock) {
        throw "$Keyword can only be used in a test file run by Invoke-KrPester (tools/Invoke-KrPester.ps1)."
    }
    $script:CurrentBlock
}

# "<name>" becomes the value of the case's key "name"; "<_>" the case itself, as in Pester 5.
function Expand-KrPesterName([string] $Name, $Case) {
    if ($null -eq $Case) { return $Name }
    $Name -replace '<([^<>]+)>', {
        $key = $_.Groups[1].Value
        if ($key -eq '_') { [string]$Case }
        elseif ($Case -is [System.Collections.IDictionary] -and $Case.Contains($key)) { [string]$Case[$key] }
        else { $_.Value }
    }
}

#endregion

#region Run phase

function Invoke-KrPester {
    <#
    .SYNOPSIS
    Runs Pester 5 style test files and reports failures with file, line and message.
    .PARAMETER Path
    Test files or folders; a folder means every *.Tests.ps1 below it.
    .PARAMETER Output
    Normal prints failures; Detailed prints every test.
    .OUTPUTS
    An object with PassedCount, FailedCount, SkippedCount and Tests (one result per test).
    #>
    [CmdletBinding()]
    param(
        [Parameter(Mandatory, Position = 0)] [string[]] $Path,
        [ValidateSet('Normal', 'Detailed')] [string] $Output = 'Normal'
    )
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $run = [pscustomobject]@{
        Detailed = $Output -eq 'Detailed'
        Tests    = [System.Collections.Generic.List[object]]::new()
    }
    foreach ($file in Get-KrPesterTestFile -Path $Path -Run $run) {
        Invoke-KrPesterFile -File $file -Run $run
    }

    $passed = @($run.Tests | Where-Object Result -EQ 'Passed').Count
    $failed = @($run.Tests | Where-Object Result -EQ 'Failed').Count
    $skipped = @($run.Tests | Where-Object Result -EQ 'Skipped').Count
    Write-KrPesterLine ''
    Write-KrPesterLine ('Tests completed in {0:0.00}s' -f $watch.Elapsed.TotalSeconds)
    if ($failed -gt 0) {
        Write-KrPesterLine 'Failed tests:' Red
        foreach ($test in $run.Tests | Where-Object Result -EQ 'Failed') {
            Write-KrPesterLine "  $($test.Name)  ($($test.File):$($test.Line))" Red
        }
    }
    $summary = "$passed passed, $failed failed" + $(if ($skipped -gt 0) { ", $skipped skipped" })
    Write-KrPesterLine $summary $(if ($failed -gt 0) { 'Red' } else { 'Green' })
    [pscustomobject]@{
        PassedCount  = $passed
        FailedCount  = $failed
        SkippedCount = $skipped
        Tests        = $run.Tests.ToArray()
    }
}

function Get-KrPesterTestFile([string[]] $Path, $Run) {
    foreach ($item in $Path) {
        $full = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($item)
        if ([System.IO.Directory]::Exists($full)) {
            $files = [System.IO.Directory]::GetFiles($full, '*.Tests.ps1', [System.IO.SearchOption]::AllDirectories)
            # A suite that silently tests nothing would pass CI: a folder without tests is a failure.
            if ($files.Count -eq 0) {
                Add-KrPesterResult -Run $Run -Name "Test folder '$item'" -File $full -Line 0 -Result Failed `
                    -Message 'The folder has no *.Tests.ps1 file.'
            }
            [array]::Sort($files, [System.StringComparer]::Ordinal)
            $files
        }
        elseif ([System.IO.File]::Exists($full)) {
            $full
        }
        else {
            Add-KrPesterResult -Run $Run -Name "Test path '$item'" -File $full -Line 0 -Result Failed `
                -Message 'The path does not exist.'
        }
    }
}

function Invoke-KrPesterFile([string] $File, $Run) {
    Write-KrPesterLine ''
    Write-KrPesterLine "Running tests from '$File'" Cyan

    # A file that does not parse fails as a whole, like a failed Pester container.
    $parseErrors = $null
    $null = [System.Management.Automation.Language.Parser]::ParseFile($File, [ref] $null, [ref] $parseErrors)
    if ($parseErrors) {
        $first = $parseErrors[0]
        Add-KrPesterResult -Run $Run -Name "Parsing $File" -File $File -Line $first.Extent.StartLineNumber `
            -Result Failed -Message (($parseErrors | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Message)" }) -join "`n")
        return
    }

    # The file's own session state, and the script block that opens a new scope in it and there runs a
    # script file or the runner's continuation (see the top of this file).
    $module = New-Module -Name "KrPester.Tests.$([System.IO.Path]::GetFileNameWithoutExtension($File))" -ScriptBlock { }
    $context = [pscustomobject]@{
        Run   = $Run
        State = $module.SessionState
        Scope = $module.NewBoundScriptBlock({ param($__KrPesterNext) & $__KrPesterNext })
    }

    $root = New-KrPesterBlock -Name '' -Parent $null -Skip $false -File $File -Line 0
    $script:CurrentBlock = $root
    try {
        $null = & $context.Scope $File
    }
    catch {
        Add-KrPesterFailure -Run $Run -Name "Discovery of $File" -File $File -Line 0 -ErrorRecord $_
        return
    }
    finally {
        $script:CurrentBlock = $null
    }
    Invoke-KrPesterBlock -Block $root -Context $context
}

function Invoke-KrPesterBlock($Block, $Context) {
    $tests = @(Get-KrPesterTest $Block)
    # Setups of a block with nothing to run are not run, as in Pester.
    if (@($tests | Where-Object Skip -EQ $false).Count -eq 0) {
        foreach ($test in $tests) { Complete-KrPesterTest -Test $test -Context $Context -Result Skipped }
        return
    }
    if ($Block.Name -and $Context.Run.Detailed) {
        Write-KrPesterLine "$('  ' * (Get-KrPesterDepth $Block))$($Block.Name)"
    }
    $firstResult = $Context.Run.Tests.Count

    # The block's scope: BeforeAll's variables live here, seen by the block's tests and nested blocks.
    & $Context.Scope {
        try {
            foreach ($setup in $Block.BeforeAll) { $null = . $setup }
            $setupError = $null
        }
        catch {
            $setupError = $_
        }
        foreach ($item in $Block.Items) {
            if ($null -ne $setupError) {
                foreach ($test in Get-KrPesterTest $item) {
                    $result = if ($test.Skip) { 'Skipped' } else { 'Failed' }
                    Complete-KrPesterTest -Test $test -Context $Context -Result $result -ErrorRecord $setupError -Prefix 'BeforeAll failed: '
                }
            }
            elseif ($item.Kind -eq 'It') {
                Invoke-KrPesterTest -Test $item -Context $Context
            }
            else {
                Invoke-KrPesterBlock -Block $item -Context $Context
            }
        }
        # Like Pester, AfterAll runs even when BeforeAll failed, to clean up what it managed to set up.
        try {
            foreach ($teardown in $Block.AfterAll) { $null = . $teardown }
        }
        catch {
            Set-KrPesterBlockFailed -Block $Block -Context $Context -FirstResult $firstResult -ErrorRecord $_
        }
    }
}

function Invoke-KrPesterTest($Test, $Context) {
    if ($Test.Skip) {
        Complete-KrPesterTest -Test $Test -Context $Context -Result Skipped
        return
    }
    $outcome = [pscustomobject]@{ Error = $null; Watch = [System.Diagnostics.Stopwatch]::StartNew() }
    $chain = @(Get-KrPesterChain $Test.Parent)

    # The test's own scope, a child of its block's: case variables and BeforeEach's variables go there.
    & $Context.Scope {
        try {
            $case = $Test.Case
            if ($null -ne $case) {
                $Context.State.PSVariable.Set('_', $case)
                if ($case -is [System.Collections.IDictionary]) {
                    foreach ($key in $case.Keys) { $Context.State.PSVariable.Set([string]$key, $case[$key]) }
                }
            }
            foreach ($block in $chain) {
                foreach ($setup in $block.BeforeEach) { $null = . $setup }
            }
            # A body with a param block also receives the case as parameters, as Pester passes it.
            $parameters = @{}
            if ($case -is [System.Collections.IDictionary] -and $Test.Body.Ast.ParamBlock) {
                foreach ($parameter in $Test.Body.Ast.ParamBlock.Parameters) {
                    $name = $parameter.Name.VariablePath.UserPath
                    if ($case.Contains($name)) { $parameters[$name] = $case[$name] }
                }
            }
            $null = . $Test.Body @parameters
        }
        catch {
            $outcome.Error = $_
        }
        try {
            [array]::Reverse($chain)
            foreach ($block in $chain) {
                foreach ($teardown in $block.AfterEach) { $null = . $teardown }
            }
        }
        catch {
            if ($null -eq $outcome.Error) { $outcome.Error = $_ }
        }
    }

    $result = if ($null -eq $outcome.Error) { 'Passed' } else { 'Failed' }
    Complete-KrPesterTest -Test $Test -Context $Context -Result $result -ErrorRecord $outcome.Error -Duration $outcome.Watch.Elapsed
}

# Every test in a block and its nested blocks (or the test itself), in order.
function Get-KrPesterTest($Item) {
    if ($Item.Kind -eq 'It') { return $Item }
    foreach ($child in $Item.Items) { Get-KrPesterTest $child }
}

# The blocks from the file's root down to $Block, outermost first.
function Get-KrPesterChain($Block) {
    $chain = [System.Collections.Generic.List[object]]::new()
    for ($b = $Block; $null -ne $b; $b = $b.Parent) { $chain.Insert(0, $b) }
    $chain
}

function Get-KrPesterDepth($Item) {
    @(Get-KrPesterChain $Item.Parent).Count - 1
}

function Get-KrPesterFullName($Test) {
    $names = foreach ($block in Get-KrPesterChain $Test.Parent) { if ($block.Name) { $block.Name } }
    (@($names) + $Test.Name) -join '.'
}

#endregion

#region Results and reporting

function Complete-KrPesterTest {
    param(
        $Test, $Context,
        [ValidateSet('Passed', 'Failed', 'Skipped')] [string] $Result,
        [System.Management.Automation.ErrorRecord] $ErrorRecord,
        [string] $Prefix = '',
        [timespan] $Duration = [timespan]::Zero
    )
    $name = Get-KrPesterFullName $Test
    if ($Result -eq 'Failed') {
        Add-KrPesterFailure -Run $Context.Run -Name $name -File $Test.File -Line $Test.Line -ErrorRecord $ErrorRecord -Prefix $Prefix
        return
    }
    Add-KrPesterResult -Run $Context.Run -Name $name -File $Test.File -Line $Test.Line -Result $Result
    if ($Context.Run.Detailed) {
        $indent = '  ' * (Get-KrPesterDepth $Test)
        if ($Result -eq 'Passed') {
            Write-KrPesterLine ("$indent[+] $($Test.Name) {0:0}ms" -f $Duration.TotalMilliseconds) Green
        }
        else {
            Write-KrPesterLine "$indent[!] $($Test.Name) is skipped" Yellow
        }
    }
}

# A failed AfterAll fails the block's tests that had passed, so that the run fails.
function Set-KrPesterBlockFailed($Block, $Context, [int] $FirstResult, $ErrorRecord) {
    $where = Get-KrPesterErrorLocation -ErrorRecord $ErrorRecord -File $Block.File -Line $Block.Line
    $message = "AfterAll failed: $(Get-KrPesterErrorMessage $ErrorRecord)"
    Write-KrPesterLine "[-] AfterAll of '$($Block.Name)' failed ($($where.File):$($where.Line))" Red
    Write-KrPesterLine "    $message" Red
    for ($i = $FirstResult; $i -lt $Context.Run.Tests.Count; $i++) {
        $test = $Context.Run.Tests[$i]
        if ($test.Result -eq 'Passed') {
            $test.Result = 'Failed'
            $test.Message = $message
        }
    }
}

function Add-KrPesterFailure($Run, [string] $Name, [string] $File, [int] $Line, $ErrorRecord, [string] $Prefix = '') {
    $where = Get-KrPesterErrorLocation -ErrorRecord $ErrorRecord -File $File -Line $Line
    $message = $Prefix + (Get-KrPesterErrorMessage $ErrorRecord)
    Add-KrPesterResult -Run $Run -Name $Name -File $where.File -Line $where.Line -Result Failed -Message $message
}

function Add-KrPesterResult($Run, [string] $Name, [string] $File, [int] $Line, [string] $Result, [string] $Message) {
    $Run.Tests.Add([pscustomobject]@{ Name = $Name; File = $File; Line = $Line; Result = $Result; Message = $Message })
    if ($Result -eq 'Failed') {
        Write-KrPesterLine "[-] $Name ($($File):$Line)" Red
        foreach ($messageLine in $Message -split "`r?`n") { Write-KrPesterLine "    $messageLine" Red }
    }
}

# Where a failure happened: the failed assertion, else the script position of the error when it is in a
# test's file (or a file it loaded) rather than in this module, else the test's own declaration.
function Get-KrPesterErrorLocation($ErrorRecord, [string] $File, [int] $Line) {
    $target = $ErrorRecord.TargetObject
    if ($ErrorRecord.FullyQualifiedErrorId -like 'PesterAssertionFailed*' -and $target -is [System.Collections.IDictionary]) {
        return @{ File = $target['File']; Line = $target['Line'] }
    }
    $info = $ErrorRecord.InvocationInfo
    if ($null -ne $info -and $info.ScriptName -and $info.ScriptName -ne $PSCommandPath) {
        return @{ File = $info.ScriptName; Line = $info.ScriptLineNumber }
    }
    @{ File = $File; Line = $Line }
}

function Get-KrPesterErrorMessage($ErrorRecord) {
    if ($ErrorRecord.FullyQualifiedErrorId -like 'PesterAssertionFailed*') {
        return $ErrorRecord.Exception.Message
    }
    "$($ErrorRecord.Exception.GetType().Name): $($ErrorRecord.Exception.Message)"
}

# Console output that works in any host (no Write-Host in the bundled one); colour only on a terminal.
function Write-KrPesterLine([string] $Text, [string] $Color) {
    if ($Color -and -not [Console]::IsOutputRedirected) {
        $code = @{ Red = 91; Green = 92; Yellow = 93; Cyan = 96 }[$Color]
        $Text = "$([char]27)[${code}m$Text$([char]27)[0m"
    }
    [Console]::WriteLine($Text)
}

#endregion

#region Should

function Should {
    <#
    .SYNOPSIS
    Asserts on the piped value(s) or -ActualValue, as Pester 5's Should; throws when the assertion fails.
    #>
    [CmdletBinding()]
    param(
        [Parameter(ValueFromPipeline)] [AllowNull()] [object] $ActualValue,
        [Parameter(Position = 0)] [Alias('RegularExpression', 'ExpectedType', 'ExpectedMessage')]
        [AllowNull()] [object] $ExpectedValue,
        [switch] $Not,
        [string] $Because,
        [Parameter(Mandatory, ParameterSetName = 'Be')] [switch] $Be,
        [Parameter(Mandatory, ParameterSetName = 'BeExactly')] [switch] $BeExactly,
        [Parameter(Mandatory, ParameterSetName = 'BeTrue')] [switch] $BeTrue,
        [Parameter(Mandatory, ParameterSetName = 'BeFalse')] [switch] $BeFalse,
        [Parameter(Mandatory, ParameterSetName = 'BeNullOrEmpty')] [switch] $BeNullOrEmpty,
        [Parameter(Mandatory, ParameterSetName = 'BeOfType')] [switch] $BeOfType,
        [Parameter(Mandatory, ParameterSetName = 'Match')] [switch] $Match,
        [Parameter(Mandatory, ParameterSetName = 'BeLike')] [switch] $BeLike,
        [Parameter(Mandatory, ParameterSetName = 'Contain')] [switch] $Contain,
        [Parameter(Mandatory, ParameterSetName = 'BeIn')] [switch] $BeIn,
        [Parameter(Mandatory, ParameterSetName = 'HaveCount')] [switch] $HaveCount,
        [Parameter(Mandatory, ParameterSetName = 'BeGreaterThan')] [switch] $BeGreaterThan,
        [Parameter(Mandatory, ParameterSetName = 'BeLessThan')] [switch] $BeLessThan,
        [Parameter(Mandatory, ParameterSetName = 'BeGreaterOrEqual')] [switch] $BeGreaterOrEqual,
        [Parameter(Mandatory, ParameterSetName = 'BeLessOrEqual')] [switch] $BeLessOrEqual,
        [Parameter(Mandatory, ParameterSetName = 'Throw')] [switch] $Throw,
        [Parameter(ParameterSetName = 'Throw')] [string] $ErrorId,
        [Parameter(ParameterSetName = 'Throw')] [type] $ExceptionType,
        [Parameter(ParameterSetName = 'Throw')] [switch] $PassThru
    )
    begin {
        $piped = [System.Collections.Generic.List[object]]::new()
    }
    process {
        if ($MyInvocation.ExpectingInput) { $piped.Add($ActualValue) }
    }
    end {
        $operator = $PSCmdlet.ParameterSetName
        # What is tested, as in Pester 5: nothing piped tests $null; array operators see all the piped
        # items as one array; the others test each item.
        $subjects = [System.Collections.Generic.List[object]]::new()
        if (-not $MyInvocation.ExpectingInput) { $subjects.Add($ActualValue) }
        elseif ($piped.Count -eq 0) { $subjects.Add($null) }
        elseif ($operator -in $script:ArrayInputOperators) { $subjects.Add($piped.ToArray()) }
        else { $subjects.AddRange($piped) }

        foreach ($subject in $subjects) {
            $outcome = if ($operator -eq 'Throw') {
                Test-KrPesterThrow -ScriptBlock $subject -ExpectedMessage $ExpectedValue -ErrorId $ErrorId `
                    -ExceptionType $ExceptionType -Negate $Not.IsPresent -Because $Because
            }
            else {
                Test-KrPesterAssertion -Operator $operator -Actual $subject -Expected $ExpectedValue `
                    -Negate $Not.IsPresent -Because $Because
            }
            if ($null -ne $outcome.Failure) {
                $location = @{ File = $MyInvocation.ScriptName; Line = $MyInvocation.ScriptLineNumber; LineText = $MyInvocation.Line.Trim() }
                $PSCmdlet.ThrowTerminatingError([System.Management.Automation.ErrorRecord]::new(
                        [Exception]::new($outcome.Failure), 'PesterAssertionFailed', 'InvalidResult', $location))
            }
            if ($PassThru) { $outcome.Error }
        }
    }
}

# Returns @{ Failure = message or $null }: the message for a failed assertion, taking -Not into account.
function Test-KrPesterAssertion([string] $Operator, $Actual, $Expected, [bool] $Negate, [string] $Because) {
    $b = Format-KrPesterBecause $Because
    $e = Format-KrPesterValue $Expected
    $a = Format-KrPesterValue $Actual
    switch ($Operator) {
        { $_ -in 'Be', 'BeExactly' } {
            $exactly = $Operator -eq 'BeExactly'
            $pass = Test-KrPesterEqual -Actual $Actual -Expected $Expected -CaseSensitive:$exactly
            # A single piped item is shown as itself, not as a one-item array.
            $shown = if ($Actual -is [array] -and $Actual.Count -eq 1) { Format-KrPesterValue $Actual[0] } else { $a }
            $word = if ($exactly) { 'exactly ' } else { '' }
            $message = "Expected $word$e,$b but got $shown."
            $notMessage = "Expected $e to be different from the actual value,$b but got ${word}the same value."
        }
        'BeTrue' {
            $pass = [bool]$Actual
            $message = "Expected `$true,$b but got $a."
            $notMessage = "Expected `$false,$b but got $a."
        }
        'BeFalse' {
            $pass = -not [bool]$Actual
            $message = "Expected `$false,$b but got $a."
            $notMessage = "Expected `$true,$b but got $a."
        }
        'BeNullOrEmpty' {
            $items = @(Get-KrPesterItems $Actual)
            $pass = $items.Count -eq 0 -or ($items.Count -eq 1 -and $(
                    if ($items[0] -is [System.Collections.IDictionary]) { $items[0].Count -eq 0 }
                    else { [string]::IsNullOrEmpty($items[0]) }))
            $message = "Expected `$null or empty,$b but got $a."
            $notMessage = "Expected a value,$b but got `$null or empty."
        }
        'BeOfType' {
            # In argument mode "[string]" arrives as text, brackets included.
            $type = if ($Expected -is [type]) { $Expected } else { ([string]$Expected -replace '^\[(.*)\]$', '$1') -as [type] }
            if ($null -eq $type) { throw [ArgumentException]::new("Could not find type [$Expected]. Make sure that the assembly that contains that type is loaded.") }
            $pass = $Actual -is $type
            $actualType = if ($null -eq $Actual) { '$null' } else { "[$($Actual.GetType().FullName)]" }
            $message = "Expected the value to have type [$($type.FullName)] or any of its subtypes,$b but got $a with type $actualType."
            $notMessage = "Expected the value to not have type [$($type.FullName)] or any of its subtypes,$b but got $a with type $actualType."
        }
        'Match' {
            $pass = [string]$Actual -match [string]$Expected
            $message = "Expected regular expression $e to match $a,$b but it did not match."
            $notMessage = "Expected regular expression $e to not match $a,$b but it did match."
        }
        'BeLike' {
            $pass = [string]$Actual -like [string]$Expected
            $message = "Expected like wildcard $e to match $a,$b but it did not match."
            $notMessage = "Expected like wildcard $e to not match $a,$b but it did match."
        }
        'Contain' {
            $pass = @(Get-KrPesterItems $Actual) -contains $Expected
            $message = "Expected $e to be found in collection $a,$b but it was not found."
            $notMessage = "Expected $e to not be found in collection $a,$b but it was found."
        }
        'BeIn' {
            $pass = @(Get-KrPesterItems $Expected) -contains $Actual
            $message = "Expected collection $e to contain $a,$b but it was not found."
            $notMessage = "Expected collection $e to not contain $a,$b but it was found."
        }
        'HaveCount' {
            $count = @(Get-KrPesterItems $Actual).Count
            $pass = $count -eq $Expected
            $message = if ($Expected -eq 0) { "Expected an empty collection,$b" } else { "Expected a collection with size $e,$b" }
            $message += if ($count -eq 0) { ' but got an empty collection.' } else { " but got collection with size $count $a." }
            $notMessage = if ($Expected -eq 0) { "Expected a non-empty collection,$b" } else { "Expected a collection with size different from $e,$b" }
            $notMessage += if ($count -eq 0) { ' but got an empty collection.' } else { " but got collection with that size $a." }
        }
        'BeGreaterThan' {
            $pass = $Actual -gt $Expected
            $message = "Expected the actual value to be greater than $e,$b but got $a."
            $notMessage = "Expected the actual value to be less than or equal to $e,$b but got $a."
        }
        'BeLessThan' {
            $pass = $Actual -lt $Expected
            $message = "Expected the actual value to be less than $e,$b but got $a."
            $notMessage = "Expected the actual value to be greater than or equal to $e,$b but got $a."
        }
        'BeGreaterOrEqual' {
            $pass = $Actual -ge $Expected
            $message = "Expected the actual value to be greater than or equal to $e,$b but got $a."
            $notMessage = "Expected the actual value to be less than $e,$b but got $a."
        }
        'BeLessOrEqual' {
            $pass = $Actual -le $Expected
            $message = "Expected the actual value to be less than or equal to $e,$b but got $a."
            $notMessage = "Expected the actual value to be greater than $e,$b but got $a."
        }
    }
    $failure = if ($Negate -and $pass) { $notMessage } elseif (-not $Negate -and -not $pass) { $message }
    @{ Failure = $failure }
}

# -Throw runs the script block. -ExpectedMessage and -ErrorId are wildcard patterns matched against the
# exception message and the FullyQualifiedErrorId, as in Pester 5.
function Test-KrPesterThrow($ScriptBlock, [string] $ExpectedMessage, [string] $ErrorId, [type] $ExceptionType, [bool] $Negate, [string] $Because) {
    if ($ScriptBlock -isnot [scriptblock]) {
        throw [ArgumentException]::new("Input is missing or not a ScriptBlock. Input to '-Throw' and '-Not -Throw' must be enclosed in curly braces.")
    }
    $b = Format-KrPesterBecause $Because
    $thrown = $null
    try {
        $null = & $ScriptBlock
    }
    catch {
        $thrown = $_
    }

    if ($Negate) {
        if ($null -eq $thrown) { return @{ Failure = $null } }
        $where = Get-KrPesterErrorLocation -ErrorRecord $thrown -File '' -Line 0
        return @{ Failure = "Expected no exception to be thrown,$b but an exception `"$($thrown.Exception.Message)`" was thrown from $($where.File):$($where.Line)." }
    }

    $filters = [System.Collections.Generic.List[string]]::new()
    $buts = [System.Collections.Generic.List[string]]::new()
    if ($ExceptionType) {
        $filters.Add("type [$($ExceptionType.FullName)]")
        if ($thrown -and $thrown.Exception -isnot $ExceptionType) { $buts.Add("the exception type was [$($thrown.Exception.GetType().FullName)]") }
    }
    if (-not [string]::IsNullOrWhiteSpace($ExpectedMessage)) {
        $filters.Add("message like $(Format-KrPesterValue $ExpectedMessage)")
        if ($thrown -and $thrown.Exception.Message -notlike $ExpectedMessage) { $buts.Add("the message was $(Format-KrPesterValue $thrown.Exception.Message)") }
    }
    if (-not [string]::IsNullOrWhiteSpace($ErrorId)) {
        $filters.Add("FullyQualifiedErrorId $(Format-KrPesterValue $ErrorId)")
        if ($thrown -and $thrown.FullyQualifiedErrorId -notlike $ErrorId) { $buts.Add("the FullyQualifiedErrorId was $(Format-KrPesterValue $thrown.FullyQualifiedErrorId)") }
    }
    if ($null -eq $thrown) { $buts.Add('no exception was thrown') }
    if ($buts.Count -eq 0) { return @{ Failure = $null; Error = $thrown } }
    $with = if ($filters.Count -gt 0) { " with $($filters -join ' and ')" } else { '' }
    @{ Failure = "Expected an exception$with to be thrown,$b but $($buts -join ' and ')." }
}

# Pester 5's equality: collections item by item (recursively), $null and empty alike, each item
# compared with the expected value on the left (so the actual value is converted to its type).
function Test-KrPesterEqual([object[]] $Actual, [object[]] $Expected, [switch] $CaseSensitive) {
    $actualEmpty = $null -eq $Actual -or $Actual.Count -eq 0 -or ($Actual.Count -eq 1 -and $null -eq $Actual[0])
    $expectedEmpty = $null -eq $Expected -or $Expected.Count -eq 0 -or ($Expected.Count -eq 1 -and $null -eq $Expected[0])
    if ($actualEmpty -or $expectedEmpty) { return $actualEmpty -and $expectedEmpty }
    if ($Actual.Count -ne $Expected.Count) { return $false }
    for ($i = 0; $i -lt $Actual.Count; $i++) {
        if ($Actual[$i] -is [array] -or $Expected[$i] -is [array]) {
            if (-not (Test-KrPesterEqual -Actual $Actual[$i] -Expected $Expected[$i] -CaseSensitive:$CaseSensitive)) { return $false }
        }
        elseif ($CaseSensitive) {
            if (-not ($Expected[$i] -ceq $Actual[$i])) { return $false }
        }
        elseif (-not ($Expected[$i] -eq $Actual[$i])) {
            return $false
        }
    }
    $true
}

# The items of a collection; a string or a dictionary is one item, $null none.
function Get-KrPesterItems($Value) {
    if ($null -eq $Value) { return }
    if ($Value -is [string] -or $Value -is [System.Collections.IDictionary] -or $Value -isnot [System.Collections.IEnumerable]) {
        return , $Value
    }
    foreach ($item in $Value) { , $item }
}

function Format-KrPesterBecause([string] $Because) {
    if ([string]::IsNullOrWhiteSpace($Because)) { return '' }
    " because $($Because.Trim() -replace '^because\s+'),"
}

function Format-KrPesterValue($Value) {
    if ($null -eq $Value) { return '$null' }
    if ($Value -is [bool]) { return "`$$($Value.ToString().ToLowerInvariant())" }
    if ($Value -is [string]) { return "'$Value'" }
    if ($Value -is [type]) { return "[$($Value.FullName)]" }
    if ($Value -is [System.Collections.IDictionary]) {
        return '@{' + (($Value.Keys | ForEach-Object { "$_=$(Format-KrPesterValue $Value[$_])" }) -join '; ') + '}'
    }
    if ($Value -is [System.Collections.IEnumerable]) {
        return '@(' + ((Get-KrPesterItems $Value | ForEach-Object { Format-KrPesterValue $_ }) -join ', ') + ')'
    }
    if ($Value -is [datetime] -or $Value -is [datetimeoffset]) { return $Value.ToString('o') }
    [string]$Value
}

#endregion

Export-ModuleMember -Function Describe, Context, It, BeforeAll, AfterAll, BeforeEach, AfterEach, Should, Invoke-KrPester
