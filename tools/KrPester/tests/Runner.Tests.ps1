# The runner, run as CI runs it: tools/Invoke-KrPester.ps1 in a child process of the current host, on
# fixtures that pass, fail and break on purpose. Its exit code and closing line are what build.ps1 and CI
# rely on.

BeforeAll {
    $runner = [System.IO.Path]::GetFullPath("$PSScriptRoot/../../Invoke-KrPester.ps1")
    $fixtures = [System.IO.Path]::GetFullPath("$PSScriptRoot/fixtures")

    function Invoke-Runner([string] $Fixture) {
        $lines = & ([Environment]::ProcessPath) -NoProfile -NonInteractive -File $runner -Path "$fixtures/$Fixture" -Output Detailed 2>&1 |
            ForEach-Object { "$_" }
        [pscustomobject]@{ ExitCode = $LASTEXITCODE; Lines = @($lines) }
    }

    $oneFailing = Invoke-Runner 'OneFailing.Fixture.ps1'
    $allPassing = Invoke-Runner 'AllPassing.Fixture.ps1'
    $failingSetup = Invoke-Runner 'FailingSetup.Fixture.ps1'
    $parseError = Invoke-Runner 'ParseError.Fixture.ps1'
    $noTests = Invoke-Runner '.'
}

Describe 'Invoke-KrPester.ps1' {
    It 'exits non-zero when an It fails' {
        $oneFailing.ExitCode | Should -Be 1
        $oneFailing.Lines[-1] | Should -BeExactly '1 passed, 1 failed'
    }

    It 'reports the failure with its name, file, line and message' {
        $header = "[-] Fixture.fails ($fixtures/OneFailing.Fixture.ps1:6)"
        $oneFailing.Lines | Should -Contain $header
        $oneFailing.Lines[[array]::IndexOf($oneFailing.Lines, $header) + 1].Trim() | Should -Be 'Expected 2, but got 1.'
    }

    It 'exits 0 when every test passes, counting skipped tests apart' {
        $allPassing.ExitCode | Should -Be 0
        $allPassing.Lines[-1] | Should -BeExactly '2 passed, 0 failed, 1 skipped'
    }

    It 'expands the keys of a test case in its name' {
        $allPassing.Lines -match '\[\+\] adds 1 and 2' | Should -HaveCount 1
    }

    It 'fails every test of a block whose BeforeAll failed' {
        $failingSetup.ExitCode | Should -Be 1
        $failingSetup.Lines[-1] | Should -BeExactly '0 passed, 2 failed'
        $failingSetup.Lines -match 'BeforeAll failed: .*setup failed' | Should -HaveCount 2
    }

    It 'fails a file that does not parse' {
        $parseError.ExitCode | Should -Be 1
        $parseError.Lines[-1] | Should -BeExactly '0 passed, 1 failed'
    }

    It 'fails a folder without test files' {
        $noTests.ExitCode | Should -Be 1
        $noTests.Lines[-1] | Should -BeExactly '0 passed, 1 failed'
    }
}
