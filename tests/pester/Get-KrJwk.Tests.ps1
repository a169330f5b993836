# Publishing verification keys: Get-KrJwk (public JWK of a builder, result or key source) and New-KrJwks
# (a JWK Set for /.well-known/jwks.json), and validation against the published set.

# The keys both Describes publish.
BeforeAll {
    . ([System.IO.Path]::Combine($PSScriptRoot, 'KeyHelpers.ps1'))
    $script:Rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $script:Ec = New-TestEcKey 'P-256'
}

Describe 'Get-KrJwk' {
    BeforeAll {
        $script:RsaPem = $script:Rsa.ExportPkcs8PrivateKeyPem()
        $script:PrivateMembers = @('d', 'p', 'q', 'dp', 'dq', 'qi', 'k')

        function Assert-Public($Jwk) {
            $Jwk | Should -BeOfType ([KrJwt.Jwk])
            foreach ($name in $script:PrivateMembers) { $Jwk.Contains($name) | Should -BeFalse }
            $Jwk.Json | Should -Not -Match '"d"'
        }
    }

    It 'publishes the signing key of a builder: public members, kid = RFC 7638 thumbprint, use sig' {
        $builder = New-KrJWTBuilder | Protect-KrJWT -Pem $script:RsaPem -Algorithm PS256
        $jwk = $builder | Get-KrJwk
        Assert-Public $jwk
        $jwk['kty'] | Should -Be 'RSA'
        $jwk['e'] | Should -Be 'AQAB'
        $jwk['use'] | Should -Be 'sig'
        $jwk.KeyId | Should -Be (Get-KrJwkThumbprint -JwkJson $jwk.Json)
        $jwk['kid'] | Should -Be $builder.KeyId
    }

    It 'publishes the key of a build result with the token''s alg' {
        $result = New-KrJWTBuilder | Protect-KrJWT -Pem $script:Ec.ExportECPrivateKeyPem() | Build-KrJWT
        $jwk = Get-KrJwk -Result $result
        Assert-Public $jwk
        $jwk['alg'] | Should -Be 'ES256'
        $jwk['crv'] | Should -Be 'P-256'
        $jwk.KeyId | Should -Be $result.KeyId
    }

    It 'publishes the public key of a key source: <Source>' -TestCases @(
        @{ Source = 'Pem' }, @{ Source = 'PemPath' }, @{ Source = 'JwkJson' }, @{ Source = 'JwkPath' }, @{ Source = 'X509Certificate' }
    ) {
        param($Source)
        $expectedKid = Get-KrJwkThumbprint -JwkJson (ConvertTo-TestRsaJwk $script:Rsa)
        $file = $null
        try {
            $jwk = switch ($Source) {
                'Pem' { Get-KrJwk -Pem $script:RsaPem }
                'PemPath' { $file = New-TestTempFile -Text $script:RsaPem; Get-KrJwk -PemPath $file }
                'JwkJson' { Get-KrJwk -JwkJson (ConvertTo-TestRsaJwk $script:Rsa -Private) }
                'JwkPath' { $file = New-TestTempFile -Text (ConvertTo-TestRsaJwk $script:Rsa -Private) -Extension '.json'; Get-KrJwk -JwkPath $file }
                'X509Certificate' { Get-KrJwk -X509Certificate (New-TestCertificate $script:Rsa) }
            }
        } finally { if ($file) { [System.IO.File]::Delete($file) } }
        Assert-Public $jwk
        $jwk.KeyId | Should -Be $expectedKid
    }

    It 'is a dictionary of the JWK members whose string form is the JSON' {
        $jwk = Get-KrJwk -Pem $script:Ec.ExportSubjectPublicKeyInfoPem()
        $jwk -is [System.Collections.IDictionary] | Should -BeTrue
        "$jwk" | Should -BeExactly $jwk.Json
        $jwk.kty | Should -Be 'EC'
        $jwk.KeyType | Should -Be 'EC'
        $parsed = ConvertFrom-TestJson $jwk.Json
        $parsed['x'] | Should -Be $jwk['x']
        @($jwk.Keys) | Should -Be @($parsed.Keys)
    }

    It 'marks X25519 keys for encryption (use enc)' {
        $jwk = Get-KrJwk -Pem (New-TestOkpPem X25519)
        $jwk['crv'] | Should -Be 'X25519'
        $jwk['use'] | Should -Be 'enc'
    }

    It 'keeps the use and alg of an encryption JWK' {
        $jwk = Get-KrJwk -JwkJson ((ConvertTo-TestRsaJwk $script:Rsa).TrimEnd('}') + ',"use":"enc","alg":"RSA-OAEP-256"}')
        $jwk['use'] | Should -Be 'enc'
        $jwk['alg'] | Should -Be 'RSA-OAEP-256'
    }

    It 'refuses to publish a shared secret (KrJwt.InvalidKey)' {
        { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey (New-TestHexKey 32) | Get-KrJwk } |
            Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*shared secret*'
    }

    It 'refuses a builder without a signing key' {
        { New-KrJWTBuilder | Get-KrJwk } | Should -Throw -ErrorId 'KrJwt.*'
    }
}

Describe 'New-KrJwks' {
    BeforeAll {
        $script:RsaBuilder = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'issuer' | Protect-KrJWT -Pem $script:Rsa.ExportPkcs8PrivateKeyPem()
        $script:EcBuilder = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'issuer' | Protect-KrJWT -Pem $script:Ec.ExportECPrivateKeyPem()

        function Get-Keys([string] $Jwks) { @((ConvertFrom-TestJson $Jwks)['keys']) }
    }

    It 'makes a JWK Set of the builders piped in' {
        $jwks = $script:RsaBuilder, $script:EcBuilder | New-KrJwks
        $jwks | Should -BeOfType ([string])
        $keys = Get-Keys $jwks
        $keys | Should -HaveCount 2
        $keys[0]['kty'] | Should -Be 'RSA'
        $keys[1]['kty'] | Should -Be 'EC'
        $keys[0]['kid'] | Should -Be $script:RsaBuilder.KeyId
        foreach ($key in $keys) { $key.Contains('d') | Should -BeFalse }
    }

    It 'takes results, Jwk objects, JWK JSON, JWK hashtables and certificates' {
        $result = $script:RsaBuilder | Build-KrJWT
        $ecJwk = Get-KrJwk -Builder $script:EcBuilder
        $okp = $script:Rfc8037Ed25519Jwk
        $hashtable = @{ kty = 'RSA'; n = $script:Rfc7638N; e = $script:Rfc7638E }
        $cert = New-TestCertificate (New-TestEcKey 'P-384')
        $keys = Get-Keys (New-KrJwks -InputObject $result, $ecJwk, $okp, $hashtable, $cert)
        $keys | Should -HaveCount 5
        $keys[2]['kid'] | Should -Be $script:Rfc8037Ed25519Thumbprint
        $keys[2].Contains('d') | Should -BeFalse
        $keys[3]['kid'] | Should -Be $script:Rfc7638Thumbprint
        $keys[4]['crv'] | Should -Be 'P-384'
    }

    It 'writes a key given twice once' {
        $keys = Get-Keys ($script:RsaBuilder, $script:RsaBuilder, (Get-KrJwk -Builder $script:EcBuilder), $script:EcBuilder | New-KrJwks)
        $keys | Should -HaveCount 2
    }

    It 'merges the keys of a JWK Set given as JSON (adding a key for rotation)' {
        $old = $script:RsaBuilder | New-KrJwks
        $keys = Get-Keys ($old, $script:EcBuilder | New-KrJwks)
        $keys | Should -HaveCount 2
        $keys[0]['kid'] | Should -Be $script:RsaBuilder.KeyId
        $keys[1]['kid'] | Should -Be $script:EcBuilder.KeyId
    }

    It 'validates tokens of every published key' {
        $jwks = $script:RsaBuilder, $script:EcBuilder | New-KrJwks
        $vp = Get-KrJWTValidationParameter -JwksJson $jwks -Issuer 'issuer'
        Test-KrJWT -ValidationParameter $vp -Token ($script:RsaBuilder | Build-KrJWT).Token | Should -BeTrue
        Test-KrJWT -ValidationParameter $vp -Token ($script:EcBuilder | Build-KrJWT).Token | Should -BeTrue
        $stranger = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'issuer' | Protect-KrJWT -Pem (New-TestEcKey 'P-256').ExportECPrivateKeyPem()
        # One published key per algorithm: the library tries it (InvalidSignature); KeyNotFound needs several.
        (Test-KrJWT -ValidationParameter $vp -Token ($stranger | Build-KrJWT).Token -Detailed).IsValid | Should -BeFalse
        $twoEc = $script:EcBuilder, $stranger | New-KrJwks
        $other = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'issuer' | Protect-KrJWT -Pem (New-TestEcKey 'P-256').ExportECPrivateKeyPem()
        $vp2 = Get-KrJWTValidationParameter -JwksJson $twoEc
        Test-KrJWT -ValidationParameter $vp2 -Token ($stranger | Build-KrJWT).Token | Should -BeTrue
        (Test-KrJWT -ValidationParameter $vp2 -Token ($other | Build-KrJWT).Token -Detailed).Reason.ToString() | Should -Be 'KeyNotFound'
    }

    It 'refuses a shared secret with the library''s message' {
        $secret = New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey (New-TestHexKey 32)
        { $script:RsaBuilder, $secret | New-KrJwks } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*shared secret*'
        { New-KrJwks -InputObject '{"kty":"oct","k":"AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}' } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*'
    }

    It 'refuses input it cannot use' {
        { New-KrJwks -InputObject 42 } | Should -Throw -ErrorId 'KrJwt.InvalidArgument,*'
        { New-KrJwks -InputObject 'not json' } | Should -Throw -ErrorId 'KrJwt.InvalidJson,*'
    }
}
