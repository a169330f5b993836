# The staged module (out/KrJwt) as it ships: one native library, under runtimes/<rid>/native/ where the
# loader finds it, stripped (its debug information stays in out/build/native), linked to the C runtime
# only (OpenSSL is linked in statically), no .pdb and no path of the build machine inside, 6 MB at most.

Describe 'The staged module is lean and portable' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $script:Stage = Join-Path $script:RepoRoot 'out/KrJwt'
        $script:Files = @(Get-ChildItem -LiteralPath $script:Stage -File -Recurse)
        $script:LibraryName = if ($IsWindows) { 'krjwt.dll' } elseif ($IsMacOS) { 'libkrjwt.dylib' } else { 'libkrjwt.so' }
        $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
        $rid = "$os-$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant())"
        $script:Library = Join-Path $script:Stage "runtimes/$rid/native/$($script:LibraryName)"
    }

    It 'holds one copy of the native library, under runtimes/{rid}/native/' {
        # Case-sensitive: on Windows krjwt.dll and the module's KrJwt.dll differ only in case.
        $copies = @($script:Files | Where-Object { $_.Name -ceq $script:LibraryName })
        $copies | Should -HaveCount 1
        $copies[0].FullName | Should -Be $script:Library
    }

    It 'loads that copy (the loader looks under runtimes/)' {
        $loader = (Get-Module KrJwt).ImplementingAssembly.GetType('KrJwt.Native.NativeLibraryLoader')
        $loader.GetProperty('LoadedPath', [System.Reflection.BindingFlags]'NonPublic, Static').GetValue($null) | Should -Be $script:Library
    }

    It 'ships no debug symbols (.pdb, .debug, .dSYM)' {
        @($script:Files | Where-Object { $_.Extension -in '.pdb', '.debug' -or $_.FullName -like '*.dSYM*' } | ForEach-Object Name) | Should -BeNullOrEmpty
    }

    It 'ships the library stripped, its debug information kept beside the build output' -Skip:(-not $IsLinux) {
        $sections = & readelf -SW $script:Library
        $LASTEXITCODE | Should -Be 0
        @($sections | Select-String '\.debug_|\.symtab') | Should -BeNullOrEmpty
        $debug = Join-Path $script:RepoRoot "out/build/native/$($script:LibraryName).debug"
        Test-Path -LiteralPath $debug | Should -BeTrue
        @(& readelf -SW $debug | Select-String '\.debug_info') | Should -Not -BeNullOrEmpty
    }

    It 'depends on the C runtime only: OpenSSL is linked in (ldd shows no libssl or libcrypto)' -Skip:(-not $IsLinux) {
        $ldd = & ldd $script:Library
        $LASTEXITCODE | Should -Be 0
        $ldd | Should -Not -Match 'libssl|libcrypto'
        $needed = @(& readelf -dW $script:Library | Select-String '\(NEEDED\).*\[(.+)\]' | ForEach-Object { $_.Matches[0].Groups[1].Value })
        $needed | Should -Not -BeNullOrEmpty
        @($needed | Where-Object { $_ -notmatch '^(libc|libm|libdl|libpthread|librt|libgcc_s|ld-linux[-\w]*)\.so' }) | Should -BeNullOrEmpty
        # OpenSSL is inside, and hidden: the library exports its own C ABI only.
        @(& readelf -sW --dyn-syms $script:Library | Select-String ' (EVP|SSL|OPENSSL)_\w+$' | Where-Object { $_ -notmatch ' UND ' }) | Should -BeNullOrEmpty
    }

    It 'holds no path of the build machine (repository, home, crate registries)' {
        $paths = @($script:RepoRoot, '/usr/share/cargo/registry')
        $homeFolder = [Environment]::GetFolderPath('UserProfile')
        if ($homeFolder -and $homeFolder.Length -gt 1) { $paths += "$homeFolder/" }
        $found = foreach ($file in $script:Files) {
            # Latin-1 maps every byte to one character, so binaries can be searched as text.
            $text = [System.Text.Encoding]::Latin1.GetString([System.IO.File]::ReadAllBytes($file.FullName))
            foreach ($path in $paths) { if ($text.Contains($path)) { "$($file.Name) contains $path" } }
        }
        @($found) | Should -BeNullOrEmpty
    }

    It 'weighs 6 MB (6 MiB) at most' {
        ($script:Files | Measure-Object -Property Length -Sum).Sum | Should -BeLessOrEqual 6MB
    }
}
