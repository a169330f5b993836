# Protect-KrJWT: the secret key sources (-Base64Url, -HexadecimalKey, -Passphrase), all in its one
# parameter set (the key parameters are declared once, in KeyParameters: one key, checked when it runs).

Describe 'Protect-KrJWT' {
    BeforeAll { . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1')) }

    It 'has one parameter set, which holds every key source (no per-source SecretBase64Url set any more)' {
        @((Get-Command Protect-KrJWT).ParameterSets | ForEach-Object Name) | Should -Be @('__AllParameterSets')
    }

    It 'Auto picks <Alg> for a <Bytes>-byte hex key (builder, result and token header agree)' -TestCases @(
        @{ Bytes = 32; Alg = 'HS256' },
        @{ Bytes = 48; Alg = 'HS384' },
        @{ Bytes = 64; Alg = 'HS512' }
    ) {
        param($Bytes, $Alg)
        $b = New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey (New-TestHexKey $Bytes)
        $b.Algorithm | Should -Be $Alg
        $b.IsSigned | Should -BeTrue
        $r = $b | Build-KrJWT
        $r.Algorithm | Should -Be $Alg
        (Get-TestTokenHeader $r.Token)['alg'] | Should -Be $Alg
        (Get-TestTokenHeader $r.Token)['typ'] | Should -Be 'JWT'
    }

    It 'Auto picks <Alg> for a <Bytes>-byte base64url secret (default set)' -TestCases @(
        @{ Bytes = 32; Alg = 'HS256' },
        @{ Bytes = 48; Alg = 'HS384' },
        @{ Bytes = 64; Alg = 'HS512' }
    ) {
        param($Bytes, $Alg)
        $secret = ConvertTo-TestBase64Url ([System.Security.Cryptography.RandomNumberGenerator]::GetBytes($Bytes))
        $r = New-KrJWTBuilder | Protect-KrJWT -Base64Url $secret | Build-KrJWT
        $r.Algorithm | Should -Be $Alg
        (Get-TestTokenHeader $r.Token)['alg'] | Should -Be $Alg
    }

    It 'accepts standard base64 with padding too' {
        $secret = [Convert]::ToBase64String([byte[]](250..255 + 0..25))
        (New-KrJWTBuilder | Protect-KrJWT -Base64Url $secret).Algorithm | Should -Be 'HS256'
    }

    It 'uses the UTF-8 bytes of a SecureString passphrase (32 ASCII characters give HS256)' {
        $b = New-KrJWTBuilder | Protect-KrJWT -Passphrase (ConvertTo-SecureString ('a' * 32) -AsPlainText -Force)
        $b.Algorithm | Should -Be 'HS256'
        ($b | Build-KrJWT).Token.Split('.') | Should -HaveCount 3
    }

    It 'signs the same as the hex form of the passphrase bytes (tokens cross-validate)' {
        $text = 'correct horse battery staple, 32+'
        $hex = [Convert]::ToHexString([System.Text.Encoding]::UTF8.GetBytes($text))
        $fromPass = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'i' | Protect-KrJWT -Passphrase (ConvertTo-SecureString $text -AsPlainText -Force) | Build-KrJWT
        $fromHex = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'i' | Protect-KrJWT -HexadecimalKey $hex | Build-KrJWT
        Test-KrJWT -Result $fromHex -Token $fromPass.Token | Should -BeTrue
    }

    It 'honours an explicit algorithm, case-insensitively (hs384 -> HS384)' {
        $b = New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey (New-TestHexKey 64) -Algorithm hs384
        $b.Algorithm | Should -Be 'HS384'
        (Get-TestTokenHeader ($b | Build-KrJWT).Token)['alg'] | Should -Be 'HS384'
    }

    It 'offers the algorithms <Name> in its ValidateSet' -TestCases @(
        @{ Name = 'Auto' }, @{ Name = 'HS256' }, @{ Name = 'HS384' }, @{ Name = 'HS512' },
        @{ Name = 'RS256' }, @{ Name = 'RS384' }, @{ Name = 'RS512' }, @{ Name = 'PS256' },
        @{ Name = 'PS384' }, @{ Name = 'PS512' }, @{ Name = 'ES256' }, @{ Name = 'ES384' },
        @{ Name = 'ES512' }, @{ Name = 'EdDSA' }
    ) {
        param($Name)
        $set = (Get-Command Protect-KrJWT).Parameters['Algorithm'].Attributes |
            Where-Object { $_ -is [System.Management.Automation.ValidateSetAttribute] }
        $set.ValidValues | Should -Contain $Name
    }

    It 'rejects an unknown algorithm at binding' {
        { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey (New-TestHexKey 32) -Algorithm 'HS999' } |
            Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'rejects a too-short secret at Protect time with ErrorId KrJwt.InvalidKey and a clear message' {
        $key = New-TestHexKey 16
        $err = $null
        try { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey $key } catch { $err = $_ }
        $err | Should -Not -BeNullOrEmpty
        $err.FullyQualifiedErrorId | Should -Match '^KrJwt\.InvalidKey,'
        $err.CategoryInfo.Category.ToString() | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match 'too short'
        $err.Exception.Message | Should -Match '32 bytes'
        $err.Exception.Message | Should -Not -Match $key
        $err.Exception.Status.ToString() | Should -Be 'InvalidKey'
    }

    It 'rejects a too-short secret (Pester -Throw form)' {
        { New-KrJWTBuilder | Protect-KrJWT -Base64Url 'uZ6zDP3CGK3rktmVOXQk8A' } |
            Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*too short*'
    }

    It 'rejects a key too short for an explicit algorithm (HS512 with 32 bytes)' {
        { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey (New-TestHexKey 32) -Algorithm HS512 } |
            Should -Throw -ErrorId 'KrJwt.InvalidKey,*'
    }

    It 'rejects an algorithm that does not fit the key type (RS256 with a secret)' {
        { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey (New-TestHexKey 64) -Algorithm RS256 } |
            Should -Throw -ErrorId 'KrJwt.InvalidKey,*'
    }

    It 'rejects text that is not hexadecimal' {
        { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey ('zz' * 32) } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*hex*'
    }

    It 'replaces an earlier signing key' {
        $b = New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey (New-TestHexKey 32) | Protect-KrJWT -HexadecimalKey (New-TestHexKey 64)
        $b.Algorithm | Should -Be 'HS512'
    }

    It 'returns the same builder' {
        $b = New-KrJWTBuilder
        $out = $b | Protect-KrJWT -HexadecimalKey (New-TestHexKey 32)
        [object]::ReferenceEquals($out.psobject.BaseObject, $b.psobject.BaseObject) | Should -BeTrue
    }

    It 'leaves the builder unchanged when the key is refused' {
        $b = New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey (New-TestHexKey 32)
        try { $b | Protect-KrJWT -HexadecimalKey (New-TestHexKey 8) } catch { }
        $b.Algorithm | Should -Be 'HS256'
    }
}
