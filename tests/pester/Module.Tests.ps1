# The module as a whole: manifest, exported surface, native library loading and the ABI check.

Describe 'KrJwt module' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))
        $script:Expected = @(
            'New-KrJWTBuilder', 'Copy-KrJWTTokenBuilder', 'Add-KrJWTIssuer', 'Add-KrJWTAudience',
            'Add-KrJWTSubject', 'Add-KrJWTClaim', 'Add-KrJWTHeader', 'Limit-KrJWTValidity',
            'Limit-KrJWTNotBefore', 'Protect-KrJWT', 'Build-KrJWT', 'Get-KrJWTToken',
            'Get-KrJWTValidationParameter', 'Test-KrJWT', 'Protect-KrJWTPayload', 'Update-KrJWT',
            'Get-KrJWTInfo', 'Get-KrJwkThumbprint', 'Add-KrJWTBearerAuthentication', 'Get-KrJwk', 'New-KrJwks')
    }

    It 'exports the cmdlet <Name>' -TestCases @(
        @{ Name = 'New-KrJWTBuilder' }, @{ Name = 'Copy-KrJWTTokenBuilder' }, @{ Name = 'Add-KrJWTIssuer' },
        @{ Name = 'Add-KrJWTAudience' }, @{ Name = 'Add-KrJWTSubject' }, @{ Name = 'Add-KrJWTClaim' },
        @{ Name = 'Add-KrJWTHeader' }, @{ Name = 'Limit-KrJWTValidity' }, @{ Name = 'Limit-KrJWTNotBefore' },
        @{ Name = 'Protect-KrJWT' }, @{ Name = 'Build-KrJWT' }, @{ Name = 'Get-KrJWTToken' },
        @{ Name = 'Get-KrJWTValidationParameter' }, @{ Name = 'Test-KrJWT' }, @{ Name = 'Protect-KrJWTPayload' },
        @{ Name = 'Update-KrJWT' }, @{ Name = 'Get-KrJWTInfo' }, @{ Name = 'Get-KrJwkThumbprint' },
        @{ Name = 'Add-KrJWTBearerAuthentication' }, @{ Name = 'Get-KrJwk' }, @{ Name = 'New-KrJwks' }
    ) {
        param($Name)
        $command = Get-Command -Name $Name -Module KrJwt
        $command.CommandType.ToString() | Should -Be 'Cmdlet'
    }

    It 'exports exactly the listed cmdlets' {
        $names = @(Get-Command -Module KrJwt -CommandType Cmdlet | ForEach-Object Name)
        $names | Should -HaveCount $script:Expected.Count
        foreach ($name in $script:Expected) { $names | Should -Contain $name }
    }

    It 'exports the legacy alias New-KrJWTTokenBuilder for New-KrJWTBuilder' {
        $alias = Get-Command -Name New-KrJWTTokenBuilder
        $alias.CommandType.ToString() | Should -Be 'Alias'
        $alias.ResolvedCommand.Name | Should -Be 'New-KrJWTBuilder'
    }

    It 'has a manifest with the fixed identity' {
        $module = Get-Module KrJwt
        $module.Version.ToString() | Should -Be '0.1.0'
        $module.Guid.ToString() | Should -Be 'fe4808af-131a-4eb4-9959-b5c13f215ef5'
        $module.PowerShellVersion.ToString() | Should -Be '7.4'
    }

    It 'declares truthful output types' -TestCases @(
        @{ Name = 'New-KrJWTBuilder'; Type = 'KrJwt.JwtTokenBuilder' },
        @{ Name = 'Protect-KrJWT'; Type = 'KrJwt.JwtTokenBuilder' },
        @{ Name = 'Build-KrJWT'; Type = 'KrJwt.JwtBuilderResult' },
        @{ Name = 'Get-KrJWTToken'; Type = 'System.String' },
        @{ Name = 'Get-KrJWTValidationParameter'; Type = 'KrJwt.JwtValidationParameters' },
        @{ Name = 'Test-KrJWT'; Type = 'System.Boolean' },
        @{ Name = 'Protect-KrJWTPayload'; Type = 'KrJwt.JwtTokenBuilder' },
        @{ Name = 'Get-KrJWTInfo'; Type = 'KrJwt.JwtInfo' },
        @{ Name = 'Get-KrJwkThumbprint'; Type = 'System.String' },
        @{ Name = 'Get-KrJwk'; Type = 'KrJwt.Jwk' },
        @{ Name = 'New-KrJwks'; Type = 'System.String' }
    ) {
        param($Name, $Type)
        @((Get-Command $Name).OutputType | ForEach-Object Name) | Should -Contain $Type
    }

    It 'mirrors the reference UserIdentityClaim enum (57 members, Actor = 0 ... PrimarySid = 56)' {
        $names = [Enum]::GetNames([KrJwt.UserIdentityClaim])
        $names | Should -HaveCount 57
        [int][KrJwt.UserIdentityClaim]::Actor | Should -Be 0
        [int][KrJwt.UserIdentityClaim]::Name | Should -Be 25
        [int][KrJwt.UserIdentityClaim]::Role | Should -Be 32
        [int][KrJwt.UserIdentityClaim]::WindowsSid | Should -Be 55
        [int][KrJwt.UserIdentityClaim]::PrimarySid | Should -Be 56
    }

    It 'mirrors the KrReason codes of the C ABI' {
        [int][KrJwt.KrReason]::Valid | Should -Be 0
        [int][KrJwt.KrReason]::AlgorithmNotAllowed | Should -Be 2
        [int][KrJwt.KrReason]::InvalidClaim | Should -Be 13
        [int][KrJwt.KrReason]::KeySetUnavailable | Should -Be 14
    }
}

Describe 'P/Invoke declarations against include/krjwt.h' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))
        $script:Header = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($script:RepoRoot, 'include', 'krjwt.h'))
        $native = [KrJwt.KrReason].Assembly.GetType('KrJwt.Native.NativeMethods')
        $script:Declared = @($native.GetMethods([System.Reflection.BindingFlags]'NonPublic,Static') |
            Where-Object { $_.Name.StartsWith('kr_') } | ForEach-Object Name)
        $script:Exported = @([regex]::Matches($script:Header, '\b(kr_[a-z0-9_]+)\(') | ForEach-Object { $_.Groups[1].Value })
    }

    It 'declares every function of the header' {
        $script:Exported.Count | Should -BeGreaterThan 30
        foreach ($name in $script:Exported) { $script:Declared | Should -Contain $name }
    }

    It 'declares nothing the header lacks' {
        foreach ($name in $script:Declared) { $script:Exported | Should -Contain $name }
    }

    It 'uses the header''s value for every member of <Enum>' -TestCases @(
        @{ Enum = 'KrStatus'; Prefix = 'KR_STATUS_' },
        @{ Enum = 'KrReason'; Prefix = 'KR_REASON_' },
        @{ Enum = 'KrKeyFormat'; Prefix = 'KR_KEY_FORMAT_' }
    ) {
        param($Enum, $Prefix)
        $type = [KrJwt.KrReason].Assembly.GetType("KrJwt.$Enum")
        $constants = [regex]::Matches($script:Header, "\b$Prefix([A-Z0-9_]+) = (\d+)")
        $constants.Count | Should -Be ([Enum]::GetNames($type).Count)
        foreach ($member in [Enum]::GetNames($type)) {
            # PascalCase member -> SCREAMING_SNAKE_CASE constant (Base64Url -> BASE64URL as cbindgen spells it).
            $snake = ([regex]::Replace($member, '(?<=[a-z0-9])(?=[A-Z])', '_')).ToUpperInvariant().Replace('BASE64_URL', 'BASE64URL')
            $match = [regex]::Match($script:Header, "\b$Prefix$snake = (\d+)")
            "$member found: $($match.Success)" | Should -Be "$member found: True"
            [int]$match.Groups[1].Value | Should -Be ([int][Enum]::Parse($type, $member))
        }
    }

    It 'expects the header''s ABI version' {
        [regex]::Match($script:Header, 'KRJWT_ABI_VERSION (\d+)').Groups[1].Value | Should -Be '4'
    }
}

Describe 'Loading the native library' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

        # Imports the module staged in $Directory in a child process (an assembly cannot be loaded twice
        # in one process); returns its exit code and output.
        function Invoke-TestImport {
            param([string] $Directory)
            Invoke-TestPwsh '-Command', "try { Import-Module '$Directory/KrJwt.psd1' -ErrorAction Stop; 'imported' } catch { 'IMPORT FAILED: ' + `$_.Exception.Message; exit 3 }"
        }

        function New-TestModuleCopy {
            $directory = Join-Path ([System.IO.Path]::GetTempPath()) ('krjwt-load-' + [Guid]::NewGuid().ToString('N'))
            $null = New-Item -ItemType Directory $directory
            # The manifest's FormatsToProcess names the format file: it has to come along.
            foreach ($file in 'KrJwt.dll', 'KrJwt.psd1', 'KrJwt.Format.ps1xml') {
                Copy-Item -LiteralPath (Join-Path $script:RepoRoot "out/KrJwt/$file") -Destination $directory
            }
            $directory
        }

        $script:LibraryName = if ($IsWindows) { 'krjwt.dll' } elseif ($IsMacOS) { 'libkrjwt.dylib' } else { 'libkrjwt.so' }
        $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
        $script:NativeFolder = "runtimes/$os-$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant())/native"
    }

    It 'finds the library under runtimes/{rid}/native beside KrJwt.dll, whatever the current directory' {
        $here = [Environment]::CurrentDirectory
        try {
            [Environment]::CurrentDirectory = [System.IO.Path]::GetTempPath()
            $result = Invoke-TestImport (Join-Path $script:RepoRoot 'out/KrJwt')
        } finally {
            [Environment]::CurrentDirectory = $here
        }
        $result.ExitCode | Should -Be 0
        $result.Output | Should -Match 'imported'
    }

    It 'refuses to import without the native library and says what to do' {
        $directory = New-TestModuleCopy
        try {
            $result = Invoke-TestImport $directory
            $result.ExitCode | Should -Not -Be 0
            $result.Output | Should -Match 'cannot load its native library'
            $result.Output | Should -Match ([regex]::Escape($script:NativeFolder))
            $result.Output | Should -Match 'build\.sh'
        } finally {
            Remove-Item -LiteralPath $directory -Recurse -Force
        }
    }

    # A fake library is compiled with the C compiler (the ones the build uses on Linux and macOS).
    It 'refuses a library with another ABI version, naming the file' -Skip:($IsWindows -or -not (Get-Command cc, gcc, clang -CommandType Application -ErrorAction Ignore)) {
        $cc = Get-Command cc, gcc, clang -CommandType Application -ErrorAction Ignore | Select-Object -First 1
        $directory = New-TestModuleCopy
        try {
            $source = Join-Path $directory 'fake.c'
            Set-Content -LiteralPath $source -Value "#include <stdint.h>`nuint32_t kr_abi_version(void) { return 99; }`nconst char *kr_version(void) { return `"9.9.9-fake`"; }"
            $native = New-Item -ItemType Directory (Join-Path $directory $script:NativeFolder)
            $library = Join-Path $native.FullName $script:LibraryName
            & $cc.Source -shared -fPIC -o $library $source
            $LASTEXITCODE | Should -Be 0

            $result = Invoke-TestImport $directory
            $result.ExitCode | Should -Not -Be 0
            $result.Output | Should -Match 'ABI version 4'
            $result.Output | Should -Match 'reports ABI version 99'
            $result.Output | Should -Match ([regex]::Escape($script:LibraryName))
            $result.Output | Should -Match '9\.9\.9-fake'
        } finally {
            Remove-Item -LiteralPath $directory -Recurse -Force
        }
    }
}
