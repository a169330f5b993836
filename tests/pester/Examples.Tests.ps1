# The short usage scripts in examples/ run to completion (exit 0) against the staged module.

Describe 'examples' {
    BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

    It 'runs examples/keys.ps1 (RSA signing, JWKS, rotation, encryption)' {
        # In a child process: the module cannot be loaded twice in one process.
        $run = Invoke-TestPwsh '-File', (Join-Path $script:RepoRoot 'examples/keys.ps1'), '-ModulePath', $script:ModuleManifest
        $run.Output | Should -Match 'All checks passed'
        $run.Output | Should -Not -Match 'FAIL'
        $run.ExitCode | Should -Be 0
    }
}
