# Protect-KrJWT with asymmetric and byte key sources: -PemPath, -Pem, -JwkJson, -JwkPath,
# -X509Certificate, -KeyBytes. Signing round trips for RS*/PS*/ES*/EdDSA, Auto, and every key error with its ErrorId.

# The RSA key both Describes sign with.
BeforeAll {
    . ([System.IO.Path]::Combine($PSScriptRoot, 'KeyHelpers.ps1'))
    $script:Rsa = [System.Security.Cryptography.RSA]::Create(2048)
}

Describe 'Protect-KrJWT key sources' {
    BeforeAll {
        $script:RsaPem = @{
            PKCS1 = $script:Rsa.ExportRSAPrivateKeyPem()
            PKCS8 = $script:Rsa.ExportPkcs8PrivateKeyPem()
        }
        $script:RsaPublicPem = $script:Rsa.ExportSubjectPublicKeyInfoPem()
        $script:Ec = @{ 'P-256' = (New-TestEcKey 'P-256'); 'P-384' = (New-TestEcKey 'P-384'); 'P-521' = (New-TestEcKey 'P-521') }
        $script:Ed25519Pem = Get-TestEd25519Pem
        $script:TempFiles = [System.Collections.Generic.List[string]]::new()

        function New-KeyFile([string] $Text, [string] $Extension = '.pem') {
            $path = New-TestTempFile -Text $Text -Extension $Extension
            $script:TempFiles.Add($path)
            $path
        }

        # The PEM of an EC key in the given form.
        function Get-EcPem([string] $Curve, [string] $Format) {
            $key = $script:Ec[$Curve]
            if ($Format -eq 'SEC1') { $key.ExportECPrivateKeyPem() } else { $key.ExportPkcs8PrivateKeyPem() }
        }

        # Builds a token from a signed builder and checks: the header alg and kid, validation against the
        # result, and validation with validation parameters from the public key given as PEM.
        function Assert-SignedRoundTrip($Builder, [string] $Alg, [string] $PublicPem) {
            $Builder.Algorithm | Should -Be $Alg
            $result = $Builder | Add-KrJWTIssuer -Issuer 'KeyTests' | Add-KrJWTAudience -Audience 'api' | Build-KrJWT
            $header = Get-TestTokenHeader $result.Token
            $header['alg'] | Should -BeExactly $Alg
            $header['kid'] | Should -Not -BeNullOrEmpty
            $result.KeyId | Should -Be $header['kid']
            Test-KrJWT -Result $result -Token $result.Token | Should -BeTrue
            if ($PublicPem) {
                $vp = Get-KrJWTValidationParameter -Pem $PublicPem -Issuer 'KeyTests' -Audience 'api' -Algorithm $Alg
                Test-KrJWT -ValidationParameter $vp -Token $result.Token | Should -BeTrue
            }
            $result
        }
    }

    AfterAll {
        foreach ($file in $script:TempFiles) { [System.IO.File]::Delete($file) }
    }

    It 'takes every key source (-<Parameter>, formerly the parameter set <Set>)' -TestCases @(
        @{ Set = 'SecretBase64Url'; Parameter = 'Base64Url' }, @{ Set = 'SecretHexadecimalKey'; Parameter = 'HexadecimalKey' },
        @{ Set = 'SecretPassphrase'; Parameter = 'Passphrase' }, @{ Set = 'PemPath'; Parameter = 'PemPath' },
        @{ Set = 'Pem'; Parameter = 'Pem' }, @{ Set = 'JwkJson'; Parameter = 'JwkJson' }, @{ Set = 'JwkPath'; Parameter = 'JwkPath' },
        @{ Set = 'Certificate'; Parameter = 'X509Certificate' }, @{ Set = 'Bytes'; Parameter = 'KeyBytes' }
    ) {
        param($Set, $Parameter)
        @((Get-Command Protect-KrJWT).Parameters[$Parameter].ParameterSets.Keys) | Should -Be @('__AllParameterSets')
    }

    It 'signs <Alg> with an RSA <Format> PEM file' -TestCases @(
        @{ Alg = 'RS256'; Format = 'PKCS1' }, @{ Alg = 'RS384'; Format = 'PKCS1' }, @{ Alg = 'RS512'; Format = 'PKCS1' },
        @{ Alg = 'PS256'; Format = 'PKCS1' }, @{ Alg = 'PS384'; Format = 'PKCS1' }, @{ Alg = 'PS512'; Format = 'PKCS1' },
        @{ Alg = 'RS256'; Format = 'PKCS8' }, @{ Alg = 'RS384'; Format = 'PKCS8' }, @{ Alg = 'RS512'; Format = 'PKCS8' },
        @{ Alg = 'PS256'; Format = 'PKCS8' }, @{ Alg = 'PS384'; Format = 'PKCS8' }, @{ Alg = 'PS512'; Format = 'PKCS8' }
    ) {
        param($Alg, $Format)
        $path = New-KeyFile $script:RsaPem[$Format]
        $builder = New-KrJWTBuilder | Protect-KrJWT -PemPath $path -Algorithm $Alg
        $result = Assert-SignedRoundTrip $builder $Alg $script:RsaPublicPem
        # The RSA signature is as long as the 2048-bit modulus.
        (ConvertFrom-TestBase64Url $result.Token.Split('.')[2]).Length | Should -Be 256
    }

    It 'signs <Alg> with an EC <Curve> <Format> PEM file' -TestCases @(
        @{ Alg = 'ES256'; Curve = 'P-256'; Format = 'SEC1' }, @{ Alg = 'ES384'; Curve = 'P-384'; Format = 'SEC1' },
        @{ Alg = 'ES512'; Curve = 'P-521'; Format = 'SEC1' }, @{ Alg = 'ES256'; Curve = 'P-256'; Format = 'PKCS8' },
        @{ Alg = 'ES384'; Curve = 'P-384'; Format = 'PKCS8' }, @{ Alg = 'ES512'; Curve = 'P-521'; Format = 'PKCS8' }
    ) {
        param($Alg, $Curve, $Format)
        $path = New-KeyFile (Get-EcPem $Curve $Format)
        $builder = New-KrJWTBuilder | Protect-KrJWT -PemPath $path -Algorithm $Alg
        $result = Assert-SignedRoundTrip $builder $Alg $script:Ec[$Curve].ExportSubjectPublicKeyInfoPem()
        # JWS ECDSA signatures are R || S, each as long as the curve's field.
        $size = @{ 'P-256' = 64; 'P-384' = 96; 'P-521' = 132 }[$Curve]
        (ConvertFrom-TestBase64Url $result.Token.Split('.')[2]).Length | Should -Be $size
    }

    It 'signs EdDSA with an Ed25519 PKCS#8 PEM file' {
        $path = New-KeyFile $script:Ed25519Pem
        $builder = New-KrJWTBuilder | Protect-KrJWT -PemPath $path -Algorithm EdDSA
        $result = Assert-SignedRoundTrip $builder 'EdDSA' $null
        (ConvertFrom-TestBase64Url $result.Token.Split('.')[2]).Length | Should -Be 64
        $vp = Get-KrJWTValidationParameter -JwkJson $script:Rfc8037Ed25519PublicJwk
        Test-KrJWT -ValidationParameter $vp -Token $result.Token | Should -BeTrue
    }

    It 'Auto picks <Alg> for <Key>' -TestCases @(
        @{ Key = 'RSA'; Alg = 'RS256' }, @{ Key = 'P-256'; Alg = 'ES256' }, @{ Key = 'P-384'; Alg = 'ES384' },
        @{ Key = 'P-521'; Alg = 'ES512' }, @{ Key = 'Ed25519'; Alg = 'EdDSA' }
    ) {
        param($Key, $Alg)
        $pem = switch ($Key) {
            'RSA' { $script:RsaPem.PKCS8 }
            'Ed25519' { $script:Ed25519Pem }
            default { Get-EcPem $Key 'SEC1' }
        }
        (New-KrJWTBuilder | Protect-KrJWT -Pem $pem).Algorithm | Should -Be $Alg
        (New-KrJWTBuilder | Protect-KrJWT -Pem $pem -Algorithm Auto).Algorithm | Should -Be $Alg
    }

    It 'signs with PEM text (-Pem): <Alg>' -TestCases @(
        @{ Alg = 'RS256' }, @{ Alg = 'PS384' }, @{ Alg = 'ES256' }, @{ Alg = 'EdDSA' }
    ) {
        param($Alg)
        $pem = $script:RsaPem.PKCS1
        $public = $script:RsaPublicPem
        if ($Alg -eq 'ES256') { $pem = Get-EcPem 'P-256' 'SEC1'; $public = $script:Ec['P-256'].ExportSubjectPublicKeyInfoPem() }
        if ($Alg -eq 'EdDSA') { $pem = $script:Ed25519Pem; $public = $null }
        $null = Assert-SignedRoundTrip (New-KrJWTBuilder | Protect-KrJWT -Pem $pem -Algorithm $Alg) $Alg $public
    }

    It 'accepts a lower-case algorithm name with a PEM key (ps256 -> PS256)' {
        (New-KrJWTBuilder | Protect-KrJWT -Pem $script:RsaPem.PKCS8 -Algorithm ps256).Algorithm | Should -Be 'PS256'
    }

    It 'signs with an RSA JWK (JSON text), keeping its kid' {
        $jwk = ConvertTo-TestRsaJwk $script:Rsa -Private -Kid 'rsa-2024'
        $builder = New-KrJWTBuilder | Protect-KrJWT -JwkJson $jwk
        $result = Assert-SignedRoundTrip $builder 'RS256' $script:RsaPublicPem
        (Get-TestTokenHeader $result.Token)['kid'] | Should -Be 'rsa-2024'
    }

    It 'signs with an EC P-384 JWK (JSON text) and picks ES384' {
        $jwk = ConvertTo-TestEcJwk $script:Ec['P-384'] -Private
        $null = Assert-SignedRoundTrip (New-KrJWTBuilder | Protect-KrJWT -JwkJson $jwk) 'ES384' $script:Ec['P-384'].ExportSubjectPublicKeyInfoPem()
    }

    It 'signs with the RFC 8037 Ed25519 JWK' {
        $builder = New-KrJWTBuilder | Protect-KrJWT -JwkJson $script:Rfc8037Ed25519Jwk
        $result = Assert-SignedRoundTrip $builder 'EdDSA' (Get-TestEd25519Pem)
        # RFC 8037 A.3: the key's thumbprint is its kid.
        $result.KeyId | Should -Be $script:Rfc8037Ed25519Thumbprint
    }

    It 'signs HS512 with an oct JWK' {
        $k = ConvertTo-TestBase64Url ([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(64))
        $builder = New-KrJWTBuilder | Protect-KrJWT -JwkJson "{`"kty`":`"oct`",`"k`":`"$k`"}"
        $null = Assert-SignedRoundTrip $builder 'HS512' $null
    }

    It 'signs with a JWK file (-JwkPath)' {
        $path = New-KeyFile (ConvertTo-TestEcJwk $script:Ec['P-256'] -Private -Kid 'from-file') '.json'
        $builder = New-KrJWTBuilder | Protect-KrJWT -JwkPath $path -Algorithm ES256
        $result = Assert-SignedRoundTrip $builder 'ES256' $script:Ec['P-256'].ExportSubjectPublicKeyInfoPem()
        $result.KeyId | Should -Be 'from-file'
    }

    It 'signs with an RSA certificate (<Alg>) and validates with the public certificate' -TestCases @(
        @{ Alg = 'RS256' }, @{ Alg = 'PS512' }
    ) {
        param($Alg)
        $cert = New-TestCertificate $script:Rsa
        $builder = New-KrJWTBuilder | Protect-KrJWT -X509Certificate $cert -Algorithm $Alg
        $result = Assert-SignedRoundTrip $builder $Alg $script:RsaPublicPem
        $vp = Get-KrJWTValidationParameter -X509Certificate (Get-TestPublicCertificate $cert) -Issuer 'KeyTests' -Algorithm $Alg
        Test-KrJWT -ValidationParameter $vp -Token $result.Token | Should -BeTrue
        # The kid is the RFC 7638 thumbprint of the certificate's key.
        $result.KeyId | Should -Be (Get-KrJwkThumbprint -Certificate $cert)
    }

    It 'signs with an ECDSA certificate (Auto picks ES256 for P-256)' {
        $cert = New-TestCertificate $script:Ec['P-256']
        $builder = New-KrJWTBuilder | Protect-KrJWT -X509Certificate $cert
        $result = Assert-SignedRoundTrip $builder 'ES256' $script:Ec['P-256'].ExportSubjectPublicKeyInfoPem()
        $vp = Get-KrJWTValidationParameter -X509Certificate $cert
        Test-KrJWT -ValidationParameter $vp -Token $result.Token | Should -BeTrue
    }

    It 'signs with key bytes: <Bytes> bytes give <Alg>, as the same secret in hex' -TestCases @(
        @{ Bytes = 32; Alg = 'HS256' }, @{ Bytes = 48; Alg = 'HS384' }, @{ Bytes = 64; Alg = 'HS512' }
    ) {
        param($Bytes, $Alg)
        $secret = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes($Bytes)
        $copy = [byte[]]$secret.Clone()
        $fromBytes = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'i' | Protect-KrJWT -KeyBytes $secret | Build-KrJWT
        $fromBytes.Algorithm | Should -Be $Alg
        $fromHex = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'i' | Protect-KrJWT -HexadecimalKey ([Convert]::ToHexString($secret)) | Build-KrJWT
        Test-KrJWT -Result $fromHex -Token $fromBytes.Token | Should -BeTrue
        # The caller's array is left as it was.
        [Convert]::ToHexString($secret) | Should -Be ([Convert]::ToHexString($copy))
    }

    It 'resolves a relative -PemPath against the current PowerShell location' {
        $path = New-KeyFile $script:RsaPem.PKCS8
        $before = $ExecutionContext.SessionState.Path.CurrentLocation.Path
        try {
            $null = $ExecutionContext.SessionState.Path.SetLocation([System.IO.Path]::GetDirectoryName($path))
            (New-KrJWTBuilder | Protect-KrJWT -PemPath ([System.IO.Path]::GetFileName($path))).Algorithm | Should -Be 'RS256'
            (New-KrJWTBuilder | Protect-KrJWT -PemPath ('./' + [System.IO.Path]::GetFileName($path))).Algorithm | Should -Be 'RS256'
        } finally {
            $null = $ExecutionContext.SessionState.Path.SetLocation($before)
        }
    }

    It 'expands environment variables in -PemPath ($env:NAME and %NAME%)' {
        $path = New-KeyFile $script:RsaPem.PKCS8
        [Environment]::SetEnvironmentVariable('KRJWT_TEST_KEY_DIR', [System.IO.Path]::GetDirectoryName($path))
        try {
            $name = [System.IO.Path]::GetFileName($path)
            (New-KrJWTBuilder | Protect-KrJWT -PemPath ('$env:KRJWT_TEST_KEY_DIR/' + $name)).Algorithm | Should -Be 'RS256'
            (New-KrJWTBuilder | Protect-KrJWT -PemPath ('%KRJWT_TEST_KEY_DIR%/' + $name)).Algorithm | Should -Be 'RS256'
        } finally {
            [Environment]::SetEnvironmentVariable('KRJWT_TEST_KEY_DIR', $null)
        }
    }

    It 'expands ~ to the home folder in -PemPath (the error names the resolved path)' {
        $userHome = [Environment]::GetFolderPath('UserProfile')
        $err = $null
        try { New-KrJWTBuilder | Protect-KrJWT -PemPath '~/krjwt-no-such-key.pem' } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -Match '^KrJwt\.Io,'
        $err.Exception.Message | Should -Match ([regex]::Escape([System.IO.Path]::Combine($userHome, 'krjwt-no-such-key.pem')))
    }
}

Describe 'Protect-KrJWT key errors' {
    BeforeAll {
        $script:P256 = New-TestEcKey 'P-256'

        # Runs a script block that must fail and returns its ErrorRecord.
        function Get-Failure([scriptblock] $Block) {
            $caught = $null
            try { $null = & $Block } catch { $caught = $_ }
            if (-not $caught) { throw 'The command did not fail.' }
            $caught
        }
    }

    It 'refuses a secret shorter than the hash (16 key bytes)' {
        $err = Get-Failure { New-KrJWTBuilder | Protect-KrJWT -KeyBytes ([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(16)) }
        $err.FullyQualifiedErrorId | Should -Match '^KrJwt\.InvalidKey,'
        $err.CategoryInfo.Category.ToString() | Should -Be 'InvalidArgument'
        $err.Exception.Message | Should -Match 'too short'
        $err.Exception.Message | Should -Match '32 bytes'
    }

    It 'refuses an RSA key under 2048 bits' {
        $small = [System.Security.Cryptography.RSA]::Create(1024)
        $err = Get-Failure { New-KrJWTBuilder | Protect-KrJWT -Pem $small.ExportPkcs8PrivateKeyPem() }
        $err.FullyQualifiedErrorId | Should -Match '^KrJwt\.InvalidKey,'
        $err.Exception.Message | Should -Match '1024 bits'
        $err.Exception.Message | Should -Match '2048'
    }

    It 'refuses a public-only PEM for signing' {
        { New-KrJWTBuilder | Protect-KrJWT -Pem $script:Rsa.ExportSubjectPublicKeyInfoPem() } |
            Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*private*'
    }

    It 'refuses a public-only JWK for signing' {
        { New-KrJWTBuilder | Protect-KrJWT -JwkJson (ConvertTo-TestEcJwk $script:P256) } |
            Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*private*'
    }

    It 'refuses a certificate without its private key' {
        $public = Get-TestPublicCertificate (New-TestCertificate $script:Rsa)
        { New-KrJWTBuilder | Protect-KrJWT -X509Certificate $public } |
            Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*has no private key*'
    }

    It 'refuses a key that does not fit the algorithm: <Case>' -TestCases @(
        @{ Case = 'RSA + ES256'; Alg = 'ES256'; Key = 'RSA'; Message = '*RSA key cannot be used with ES256*' },
        @{ Case = 'EC P-256 + ES384'; Alg = 'ES384'; Key = 'P256'; Message = '*P-256 key cannot be used with ES384*' },
        @{ Case = 'EC P-256 + RS256'; Alg = 'RS256'; Key = 'P256'; Message = '*cannot be used with RS256*' },
        @{ Case = 'RSA + HS256'; Alg = 'HS256'; Key = 'RSA'; Message = '*HS256*' },
        @{ Case = 'Ed25519 + ES256'; Alg = 'ES256'; Key = 'Ed25519'; Message = '*Ed25519 key cannot be used with ES256*' }
    ) {
        param($Case, $Alg, $Key, $Message)
        $pem = switch ($Key) {
            'RSA' { $script:Rsa.ExportPkcs8PrivateKeyPem() }
            'P256' { $script:P256.ExportECPrivateKeyPem() }
            'Ed25519' { Get-TestEd25519Pem }
        }
        { New-KrJWTBuilder | Protect-KrJWT -Pem $pem -Algorithm $Alg } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage $Message
    }

    It 'refuses an X25519 key for signing (it only encrypts)' {
        { New-KrJWTBuilder | Protect-KrJWT -Pem (New-TestOkpPem X25519) } |
            Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*X25519*'
    }

    It 'reports a missing PEM file with ErrorId KrJwt.Io, the resolved path and the fix' {
        $missing = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "krjwt-missing-$([Guid]::NewGuid().ToString('N')).pem")
        $err = Get-Failure { New-KrJWTBuilder | Protect-KrJWT -PemPath $missing }
        $err.FullyQualifiedErrorId | Should -Match '^KrJwt\.Io,'
        $err.CategoryInfo.Category.ToString() | Should -Be 'ReadError'
        $err.Exception.Message | Should -Match ([regex]::Escape($missing))
        $err.Exception.Message | Should -Match 'does not exist'
        $err.Exception.Message | Should -Match 'current location'
    }

    It 'reports a missing JWK file with ErrorId KrJwt.Io' {
        { New-KrJWTBuilder | Protect-KrJWT -JwkPath 'no-such-folder/key.json' } |
            Should -Throw -ErrorId 'KrJwt.Io,*' -ExpectedMessage '*no-such-folder*'
    }

    It 'reports a folder given as a key file' {
        { New-KrJWTBuilder | Protect-KrJWT -PemPath ([System.IO.Path]::GetTempPath()) } |
            Should -Throw -ErrorId 'KrJwt.Io,*' -ExpectedMessage '*folder*'
    }

    It 'reports an unset environment variable in a key path' {
        { New-KrJWTBuilder | Protect-KrJWT -PemPath '$env:KRJWT_SURELY_UNSET_VARIABLE/key.pem' } |
            Should -Throw -ErrorId 'KrJwt.Io,*' -ExpectedMessage '*KRJWT_SURELY_UNSET_VARIABLE*not set*'
    }

    It 'refuses text that is not PEM' {
        { New-KrJWTBuilder | Protect-KrJWT -Pem 'hello' } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*not PEM*'
    }

    It 'refuses a PEM file whose body is not a key' {
        $path = New-TestTempFile -Text "-----BEGIN PRIVATE KEY-----`nAAAA`n-----END PRIVATE KEY-----`n"
        try {
            $err = Get-Failure { New-KrJWTBuilder | Protect-KrJWT -PemPath $path }
            $err.FullyQualifiedErrorId | Should -Match '^KrJwt\.InvalidKey,'
            # The message names the file it is about.
            $err.Exception.Message | Should -Match ([regex]::Escape($path))
        } finally { [System.IO.File]::Delete($path) }
    }

    It 'refuses a JWK that is not JSON with ErrorId KrJwt.InvalidJson' {
        $err = Get-Failure { New-KrJWTBuilder | Protect-KrJWT -JwkJson '{not json' }
        $err.FullyQualifiedErrorId | Should -Match '^KrJwt\.InvalidJson,'
        $err.Exception.Message | Should -Match 'not valid JSON'
    }

    It 'refuses a JWK without its required members' {
        { New-KrJWTBuilder | Protect-KrJWT -JwkJson '{"kty":"RSA","n":"AQAB"}' } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*"e"*'
        { New-KrJWTBuilder | Protect-KrJWT -JwkJson '{"n":"AQAB"}' } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*kty*'
    }

    It 'never puts key material in an error message' {
        $pem = $script:Rsa.ExportPkcs8PrivateKeyPem()
        $err = Get-Failure { New-KrJWTBuilder | Protect-KrJWT -Pem $pem -Algorithm ES256 }
        $body = $pem.Split("`n")[1]
        $err.Exception.Message | Should -Not -Match ([regex]::Escape($body))
    }

    It 'leaves the builder unsigned when the key is refused' {
        $builder = New-KrJWTBuilder
        try { $builder | Protect-KrJWT -Pem $script:Rsa.ExportSubjectPublicKeyInfoPem() } catch { }
        $builder.IsSigned | Should -BeFalse
    }
}
