# Key material for the Pester tests of the key sources (PEM, JWK, certificates, raw bytes). Dot-source it
# instead of TestHelpers.ps1, which it brings along (its helpers build on TestHelpers.ps1's):
#     BeforeAll { . (Join-Path $PSScriptRoot 'KeyHelpers.ps1') }
# Keys are made with .NET (RSA, ECDsa, CertificateRequest); .NET has no Ed25519/X25519, so those PEMs are
# assembled here from their fixed PKCS#8 prefix (RFC 8410) and 32 key bytes. This is test scaffolding
# only: the module never builds or parses keys itself.

. ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))

# RFC 8037 appendix A.1: the Ed25519 key pair of the JOSE examples (and its A.3 thumbprint).
$script:Rfc8037Ed25519Jwk = '{"kty":"OKP","crv":"Ed25519","d":"nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}'
$script:Rfc8037Ed25519PublicJwk = '{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}'
$script:Rfc8037Ed25519Thumbprint = 'kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k'

# RFC 7638 section 3.1: the RSA public key and its thumbprint.
$script:Rfc7638N = '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw'
$script:Rfc7638E = 'AQAB'
$script:Rfc7638Thumbprint = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs'

# PEM text of DER bytes with the given label.
function ConvertTo-TestPem {
    param([byte[]] $Der, [string] $Label)
    $b64 = [Convert]::ToBase64String($Der, [System.Base64FormattingOptions]::InsertLineBreaks).Replace("`r`n", "`n")
    "-----BEGIN $Label-----`n$b64`n-----END $Label-----`n"
}

# PKCS#8 PEM of an OKP private key (Ed25519: OID 1.3.101.112, X25519: 1.3.101.110) from its 32 bytes.
function New-TestOkpPem {
    param([ValidateSet('Ed25519', 'X25519')] [string] $Curve, [byte[]] $PrivateBytes = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32))
    $oid = if ($Curve -eq 'Ed25519') { 0x70 } else { 0x6e }
    [byte[]] $prefix = 0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, $oid, 0x04, 0x22, 0x04, 0x20
    ConvertTo-TestPem -Der ([byte[]]($prefix + $PrivateBytes)) -Label 'PRIVATE KEY'
}

# The RFC 8037 Ed25519 key as PKCS#8 PEM (the same key as $Rfc8037Ed25519Jwk).
function Get-TestEd25519Pem {
    New-TestOkpPem -Curve Ed25519 -PrivateBytes (ConvertFrom-TestBase64Url 'nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A')
}

# A 2048-bit RSA key with its PKCS#8 private PEM and its public (SPKI) PEM:
#     $rsa, $privatePem, $publicPem = New-TestRsaKey
function New-TestRsaKey {
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $rsa, $rsa.ExportPkcs8PrivateKeyPem(), $rsa.ExportSubjectPublicKeyInfoPem()
}

function New-TestEcKey {
    param([ValidateSet('P-256', 'P-384', 'P-521')] [string] $Curve = 'P-256')
    $named = switch ($Curve) {
        'P-256' { [System.Security.Cryptography.ECCurve+NamedCurves]::nistP256 }
        'P-384' { [System.Security.Cryptography.ECCurve+NamedCurves]::nistP384 }
        'P-521' { [System.Security.Cryptography.ECCurve+NamedCurves]::nistP521 }
    }
    [System.Security.Cryptography.ECDsa]::Create($named)
}

# The JWK of a .NET RSA key (private members with -Private).
function ConvertTo-TestRsaJwk {
    param([System.Security.Cryptography.RSA] $Rsa, [switch] $Private, [string] $Kid)
    $p = $Rsa.ExportParameters([bool]$Private)
    $jwk = [ordered]@{ kty = 'RSA'; n = (ConvertTo-TestBase64Url $p.Modulus); e = (ConvertTo-TestBase64Url $p.Exponent) }
    if ($Private) {
        $jwk.d = ConvertTo-TestBase64Url $p.D; $jwk.p = ConvertTo-TestBase64Url $p.P; $jwk.q = ConvertTo-TestBase64Url $p.Q
        $jwk.dp = ConvertTo-TestBase64Url $p.DP; $jwk.dq = ConvertTo-TestBase64Url $p.DQ; $jwk.qi = ConvertTo-TestBase64Url $p.InverseQ
    }
    if ($Kid) { $jwk.kid = $Kid }
    ConvertTo-TestJsonText $jwk
}

# The JWK of a .NET EC key.
function ConvertTo-TestEcJwk {
    param([System.Security.Cryptography.ECDsa] $Ec, [switch] $Private, [string] $Kid)
    $p = $Ec.ExportParameters([bool]$Private)
    $crv = switch ($Ec.KeySize) { 256 { 'P-256' } 384 { 'P-384' } 521 { 'P-521' } }
    $jwk = [ordered]@{ kty = 'EC'; crv = $crv; x = (ConvertTo-TestBase64Url $p.Q.X); y = (ConvertTo-TestBase64Url $p.Q.Y) }
    if ($Private) { $jwk.d = ConvertTo-TestBase64Url $p.D }
    if ($Kid) { $jwk.kid = $Kid }
    ConvertTo-TestJsonText $jwk
}

# A flat dictionary of strings as compact JSON.
function ConvertTo-TestJsonText {
    param([System.Collections.IDictionary] $Dictionary)
    ConvertTo-Json -InputObject $Dictionary -Compress
}

# A self-signed certificate with its private key (RSA or EC), made in memory.
function New-TestCertificate {
    param([Parameter(Mandatory)] $Key, [string] $Subject = 'CN=KrJwt test')
    $sha = [System.Security.Cryptography.HashAlgorithmName]::SHA256
    $request = if ($Key -is [System.Security.Cryptography.RSA]) {
        [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $Key, $sha, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    } else {
        [System.Security.Cryptography.X509Certificates.CertificateRequest]::new($Subject, $Key, $sha)
    }
    $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddDays(-1), [DateTimeOffset]::UtcNow.AddDays(30))
}

# The same certificate without its private key.
function Get-TestPublicCertificate {
    param([System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate)
    [System.Security.Cryptography.X509Certificates.X509Certificate2]::new($Certificate.RawData)
}

# Writes text to a new file in the temp folder and returns its full path.
function New-TestTempFile {
    param([string] $Text, [string] $Extension = '.pem')
    $path = Join-Path ([System.IO.Path]::GetTempPath()) "krjwt-test-$([Guid]::NewGuid().ToString('N'))$Extension"
    Set-Content -LiteralPath $path -Value $Text -NoNewline
    $path
}

# RFC 7638 thumbprint computed independently of the library (canonical JSON of the required members).
function Get-TestThumbprint {
    param([System.Collections.IDictionary] $Members)
    $sorted = [ordered]@{}
    foreach ($name in $Members.Keys | Sort-Object -CaseSensitive) { $sorted[$name] = $Members[$name] }
    $json = ConvertTo-TestJsonText $sorted
    ConvertTo-TestBase64Url ([System.Security.Cryptography.SHA256]::HashData([System.Text.Encoding]::UTF8.GetBytes($json)))
}
