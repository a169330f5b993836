# Get-KrJWTInfo: decoding without validation, pipeline input, JSON types kept, encrypted tokens (outer
# header only, or decrypted with a key, a result or validation parameters), errors.

Describe 'Get-KrJWTInfo' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'KeyHelpers.ps1'))

        $script:SignHex = New-TestHexKey 32
        $script:Builder = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'InfoIssuer' | Add-KrJWTAudience -Audience 'a1' |
            Add-KrJWTAudience -Audience 'a2' | Add-KrJWTSubject -Subject 'bob' |
            Add-KrJWTClaim -ClaimType 'role' -Value 'admin' | Add-KrJWTClaim -ClaimType 'role' -Value 'user' |
            Add-KrJWTClaim -ClaimType 'level' -JsonValue '42' | Add-KrJWTClaim -ClaimType 'flag' -JsonValue 'true' |
            Add-KrJWTClaim -ClaimType 'ratio' -JsonValue '0.5' | Add-KrJWTClaim -ClaimType 'obj' -JsonValue '{"k":[1,"x"]}' |
            Add-KrJWTHeader -Name 'x-custom' -Value 'h' |
            Protect-KrJWT -HexadecimalKey $script:SignHex
        $script:Signed = $script:Builder | Build-KrJWT
        $script:EncHex = New-TestHexKey 32
        $script:Encrypted = Copy-KrJWTTokenBuilder $script:Builder | Protect-KrJWTPayload -HexadecimalKey $script:EncHex -KeyAlg A256KW | Build-KrJWT
        $script:Rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $script:RsaPrivatePem = $script:Rsa.ExportPkcs8PrivateKeyPem()
        $script:RsaEncrypted = Copy-KrJWTTokenBuilder $script:Builder |
            Protect-KrJWTPayload -Pem $script:Rsa.ExportSubjectPublicKeyInfoPem() -KeyAlg RSA-OAEP-256 -EncAlg A128CBC-HS256 | Build-KrJWT

        # The decoded inner token matches what was built.
        function Assert-Inner($Info) {
            $Info | Should -BeOfType ([KrJwt.JwtInfo])
            $Info.Issuer | Should -Be 'InfoIssuer'
            $Info.Subject | Should -Be 'bob'
            $Info.Algorithm | Should -Be 'HS256'
            $Info.Type | Should -Be 'JWT'
            $Info.Header['x-custom'] | Should -Be 'h'
            $Info.Claims['level'] | Should -Be 42
        }
    }

    It 'takes -Token at position 0 and from the pipeline, in every parameter set' {
        $token = (Get-Command Get-KrJWTInfo).Parameters['Token']
        foreach ($set in $token.ParameterSets.Values) {
            $set.Position | Should -Be 0
            $set.ValueFromPipeline | Should -BeTrue
            $set.IsMandatory | Should -BeTrue
        }
        (Get-KrJWTInfo $script:Signed.Token).Issuer | Should -Be 'InfoIssuer'
        ($script:Signed.Token | Get-KrJWTInfo).Issuer | Should -Be 'InfoIssuer'
    }

    It 'decodes a signed token: header, registered claims and times' {
        $info = Get-KrJWTInfo -Token $script:Signed.Token
        Assert-Inner $info
        $info.Audiences | Should -Be @('a1', 'a2')
        $info.KeyId | Should -Be $script:Signed.KeyId
        $info.IsEncrypted | Should -BeFalse
        $info.IsDecrypted | Should -BeFalse
        $info.OuterHeader | Should -BeNullOrEmpty
        $info.Expires | Should -Be $script:Signed.Expires
        $info.NotBefore | Should -Be $script:Signed.NotBefore
        $info.IssuedAt | Should -Be $script:Signed.IssuedAt
        $info.Expires.Kind.ToString() | Should -Be 'Utc'
    }

    It 'keeps the JSON types of claim values (arrays stay arrays)' {
        $claims = (Get-KrJWTInfo -Token $script:Signed.Token).Claims
        $claims['role'] | Should -HaveCount 2
        $claims['role'][0] | Should -Be 'admin'
        $claims['role'][1] | Should -Be 'user'
        $claims['level'] | Should -BeOfType ([long])
        $claims['flag'] | Should -BeOfType ([bool])
        $claims['ratio'] | Should -BeOfType ([double])
        $claims['obj']['k'][0] | Should -Be 1
        $claims['obj']['k'][1] | Should -Be 'x'
        $claims['aud'] | Should -Be @('a1', 'a2')
        $claims['exp'] | Should -BeOfType ([long])
    }

    It 'reads several tokens from the pipeline, including build results (by their Token property)' {
        $second = Copy-KrJWTTokenBuilder $script:Builder | Add-KrJWTSubject -Subject 'carol' | Build-KrJWT
        $infos = @($script:Signed.Token, $second | Get-KrJWTInfo)
        $infos | Should -HaveCount 2
        $infos[0].Subject | Should -Be 'bob'
        $infos[1].Subject | Should -Be 'carol'
    }

    It 'never validates: an expired-looking, re-signed or foreign token is still decoded' {
        $forged = Set-TestTokenSegment -Token $script:Signed.Token -Index 1 -Json '{"iss":"evil","exp":1,"sub":"mallory"}'
        $info = Get-KrJWTInfo -Token $forged
        $info.Issuer | Should -Be 'evil'
        $info.Subject | Should -Be 'mallory'
        $info.Expires | Should -Be ([DateTime]::new(1970, 1, 1, 0, 0, 1, [DateTimeKind]::Utc))
    }

    It 'returns the outer header of an encrypted token it cannot open' {
        $info = $script:Encrypted.Token | Get-KrJWTInfo
        $info.IsEncrypted | Should -BeTrue
        $info.IsDecrypted | Should -BeFalse
        $info.OuterHeader['alg'] | Should -Be 'A256KW'
        $info.OuterHeader['enc'] | Should -Be 'A256GCM'
        $info.OuterHeader['cty'] | Should -Be 'JWT'
        $info.Header['alg'] | Should -Be 'A256KW'
        $info.Claims | Should -BeNullOrEmpty
        $info.Issuer | Should -BeNullOrEmpty
    }

    It 'decrypts with a secret given as <Source>' -TestCases @(
        @{ Source = 'HexadecimalKey' }, @{ Source = 'Base64Url' }, @{ Source = 'KeyBytes' }, @{ Source = 'JwkJson' }
    ) {
        param($Source)
        $bytes = [Convert]::FromHexString($script:EncHex)
        $info = switch ($Source) {
            'HexadecimalKey' { $script:Encrypted.Token | Get-KrJWTInfo -HexadecimalKey $script:EncHex }
            'Base64Url' { $script:Encrypted.Token | Get-KrJWTInfo -Base64Url (ConvertTo-TestBase64Url $bytes) }
            'KeyBytes' { $script:Encrypted.Token | Get-KrJWTInfo -KeyBytes $bytes }
            'JwkJson' { $script:Encrypted.Token | Get-KrJWTInfo -JwkJson "{`"kty`":`"oct`",`"k`":`"$(ConvertTo-TestBase64Url $bytes)`"}" }
        }
        Assert-Inner $info
        $info.IsEncrypted | Should -BeTrue
        $info.IsDecrypted | Should -BeTrue
        $info.OuterHeader['alg'] | Should -Be 'A256KW'
    }

    It 'decrypts with an RSA private key (-Pem, -PemPath, -X509Certificate)' {
        Assert-Inner (Get-KrJWTInfo -Token $script:RsaEncrypted.Token -Pem $script:RsaPrivatePem)
        $path = New-TestTempFile -Text $script:RsaPrivatePem
        try { Assert-Inner (Get-KrJWTInfo -Token $script:RsaEncrypted.Token -PemPath $path) } finally { [System.IO.File]::Delete($path) }
        $info = Get-KrJWTInfo -Token $script:RsaEncrypted.Token -X509Certificate (New-TestCertificate $script:Rsa)
        Assert-Inner $info
        $info.OuterHeader['alg'] | Should -Be 'RSA-OAEP-256'
    }

    It 'decrypts with a build result (-Result) and with validation parameters (-ValidationParameter)' {
        Assert-Inner (Get-KrJWTInfo -Token $script:Encrypted.Token -Result $script:Encrypted)
        $vp = Get-KrJWTValidationParameter -HexadecimalKey $script:SignHex -DecryptionPem $script:RsaPrivatePem
        Assert-Inner ($script:RsaEncrypted.Token | Get-KrJWTInfo -ValidationParameter $vp)
        # Signed tokens need no key: the same parameters read them too.
        Assert-Inner ($script:Signed.Token | Get-KrJWTInfo -ValidationParameter $vp)
    }

    It 'decodes without checking the signature even when decrypting (validation parameters of another signing key)' {
        $vp = Get-KrJWTValidationParameter -HexadecimalKey (New-TestHexKey 32) -DecryptionHexadecimalKey $script:EncHex
        Assert-Inner (Get-KrJWTInfo -Token $script:Encrypted.Token -ValidationParameter $vp)
    }

    It 'reports a token it cannot decode as a non-terminating KrJwt.InvalidToken error and goes on' {
        $errors = $null
        $infos = @('not-a-token', $script:Signed.Token | Get-KrJWTInfo -ErrorAction SilentlyContinue -ErrorVariable errors)
        $infos | Should -HaveCount 1
        $infos[0].Issuer | Should -Be 'InfoIssuer'
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Match '^KrJwt\.InvalidToken,'
        $errors[0].Exception.Message | Should -Match 'dot-separated'
    }

    It 'reports a wrong decryption key as a non-terminating error' {
        $errors = $null
        $infos = @($script:Encrypted.Token | Get-KrJWTInfo -HexadecimalKey (New-TestHexKey 32) -ErrorAction SilentlyContinue -ErrorVariable errors)
        $infos | Should -HaveCount 0
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -Match '^KrJwt\.InvalidToken,'
    }

    It 'stops on a bad key (terminating KrJwt.InvalidKey)' {
        { $script:Encrypted.Token | Get-KrJWTInfo -HexadecimalKey 'zz' } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*'
    }

    It 'rejects an empty token at binding' {
        { Get-KrJWTInfo -Token '' } | Should -Throw -ErrorId 'ParameterArgumentValidationError*'
    }
}
