# Get-KrJwkThumbprint: RFC 7638 thumbprints of RSA, EC, OKP and oct keys from a certificate, a JWK
# hashtable or JWK JSON (known answers from RFC 7638 and RFC 8037, and independent computations).

Describe 'Get-KrJwkThumbprint' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'KeyHelpers.ps1'))
        $script:Rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $script:Ec = New-TestEcKey 'P-384'
    }

    It 'has Certificate as its default set, with -Certificate and -Jwk at position 0' {
        $command = Get-Command Get-KrJwkThumbprint
        $command.DefaultParameterSet | Should -Be 'Certificate'
        $command.Parameters['Certificate'].ParameterSets['Certificate'].Position | Should -Be 0
        $command.Parameters['Jwk'].ParameterSets['Jwk'].Position | Should -Be 0
        @($command.OutputType | ForEach-Object Name) | Should -Contain 'System.String'
    }

    It 'gives the RFC 7638 answer for the example RSA key as a hashtable (positional)' {
        Get-KrJwkThumbprint @{ kty = 'RSA'; n = $script:Rfc7638N; e = $script:Rfc7638E } | Should -BeExactly $script:Rfc7638Thumbprint
        Get-KrJwkThumbprint -Jwk @{ e = $script:Rfc7638E; n = $script:Rfc7638N; kty = 'RSA'; kid = 'ignored'; alg = 'RS256' } |
            Should -BeExactly $script:Rfc7638Thumbprint
    }

    It 'gives the RFC 7638 answer for the example RSA key as JSON' {
        $json = "{`"kty`":`"RSA`",`"n`":`"$($script:Rfc7638N)`",`"e`":`"AQAB`",`"alg`":`"RS256`",`"kid`":`"2011-04-29`"}"
        Get-KrJwkThumbprint -JwkJson $json | Should -BeExactly $script:Rfc7638Thumbprint
    }

    It 'gives the RFC 8037 answer for the example Ed25519 key (public or private JWK)' {
        Get-KrJwkThumbprint -JwkJson $script:Rfc8037Ed25519PublicJwk | Should -BeExactly $script:Rfc8037Ed25519Thumbprint
        Get-KrJwkThumbprint -JwkJson $script:Rfc8037Ed25519Jwk | Should -BeExactly $script:Rfc8037Ed25519Thumbprint
    }

    It 'thumbprints an RSA certificate (from the pipeline too) as its public JWK' {
        $cert = New-TestCertificate $script:Rsa
        $p = $script:Rsa.ExportParameters($false)
        $expected = Get-TestThumbprint ([ordered]@{ e = (ConvertTo-TestBase64Url $p.Exponent); kty = 'RSA'; n = (ConvertTo-TestBase64Url $p.Modulus) })
        Get-KrJwkThumbprint -Certificate $cert | Should -BeExactly $expected
        $cert | Get-KrJwkThumbprint | Should -BeExactly $expected
        # The public certificate gives the same; so does the key's JWK.
        Get-KrJwkThumbprint (Get-TestPublicCertificate $cert) | Should -BeExactly $expected
        Get-KrJwkThumbprint -JwkJson (ConvertTo-TestRsaJwk $script:Rsa -Private) | Should -BeExactly $expected
    }

    It 'thumbprints an EC certificate' {
        $cert = New-TestCertificate $script:Ec
        $p = $script:Ec.ExportParameters($false)
        $expected = Get-TestThumbprint ([ordered]@{ crv = 'P-384'; kty = 'EC'; x = (ConvertTo-TestBase64Url $p.Q.X); y = (ConvertTo-TestBase64Url $p.Q.Y) })
        Get-KrJwkThumbprint $cert | Should -BeExactly $expected
        Get-KrJwkThumbprint -JwkJson (ConvertTo-TestEcJwk $script:Ec) | Should -BeExactly $expected
    }

    It 'thumbprints an oct key' {
        $k = ConvertTo-TestBase64Url ([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32))
        Get-KrJwkThumbprint -Jwk @{ kty = 'oct'; k = $k } | Should -BeExactly (Get-TestThumbprint ([ordered]@{ k = $k; kty = 'oct' }))
    }

    It 'is the kid KrJwt gives a key' {
        $result = New-KrJWTBuilder | Protect-KrJWT -Pem $script:Ec.ExportPkcs8PrivateKeyPem() | Build-KrJWT
        $result.KeyId | Should -BeExactly (Get-KrJwkThumbprint -JwkJson (ConvertTo-TestEcJwk $script:Ec))
    }

    It 'refuses a JWK without its required members (KrJwt.InvalidKey)' {
        { Get-KrJwkThumbprint @{ kty = 'RSA'; n = $script:Rfc7638N } } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*"e"*'
        { Get-KrJwkThumbprint @{ n = 'x'; e = 'AQAB' } } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*kty*'
    }

    It 'refuses JSON that is not a JWK (KrJwt.InvalidJson)' {
        { Get-KrJwkThumbprint -JwkJson '{' } | Should -Throw -ErrorId 'KrJwt.InvalidJson,*'
        { Get-KrJwkThumbprint -JwkJson '[1,2]' } | Should -Throw -ErrorId 'KrJwt.InvalidJson,*'
    }
}
