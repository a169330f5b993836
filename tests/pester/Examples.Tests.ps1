# The short usage scripts in examples/ run to completion (exit 0) against the staged module.

Describe 'examples' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))

        # Runs a script in a fresh host process (the module cannot be loaded twice in one process).
        function Invoke-TestScript([string] $Path) {
            $hostPath = [Environment]::ProcessPath
            if ([System.IO.Path]::GetFileNameWithoutExtension($hostPath) -eq 'dotnet') {
                $hostPath = [System.IO.Path]::Combine($script:RepoRoot, 'out', 'pwsh', 'pwsh')
            }
            $info = [System.Diagnostics.ProcessStartInfo]::new($hostPath)
            foreach ($a in '-NoProfile', '-NonInteractive', '-File', $Path, '-ModulePath', $script:ModuleManifest) { $info.ArgumentList.Add($a) }
            $info.RedirectStandardOutput = $true
            $info.RedirectStandardError = $true
            $process = [System.Diagnostics.Process]::Start($info)
            $stdout = $process.StandardOutput.ReadToEndAsync()
            $stderr = $process.StandardError.ReadToEnd()
            $process.WaitForExit()
            [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result + $stderr }
        }
    }

    It 'runs examples/keys.ps1 (RSA signing, JWKS, rotation, encryption)' {
        $run = Invoke-TestScript ([System.IO.Path]::Combine($script:RepoRoot, 'examples', 'keys.ps1'))
        $run.Output | Should -Match 'All checks passed'
        $run.Output | Should -Not -Match 'FAIL'
        $run.ExitCode | Should -Be 0
    }
}
