#!/usr/bin/env pwsh
# KrJwt with asymmetric keys: sign with an RSA key, publish a JWK Set, validate with it (the way an API
# validates tokens from an identity provider), rotate to a new key, and issue an encrypted token.
#
#   pwsh -NoProfile -File examples/keys.ps1          (PowerShell 7.4+)
#
# Uses the module staged by the build in out/KrJwt, or pass -ModulePath. Exits 0 when every check behaves as expected, 1 otherwise.
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/KrJwt/KrJwt.psd1')
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

$failures = 0
function Assert-That([bool] $Condition, [string] $What) {
    if ($Condition) { Write-Host "  ok    $What" } else { Write-Host "  FAIL  $What"; $script:failures++ }
}

# Keys: in real use they come from files or a vault (Protect-KrJWT -PemPath ~/keys/signing.pem). Here they
# are made with .NET and written to a temporary PEM file, which -PemPath reads.
$signingKey = [System.Security.Cryptography.RSA]::Create(2048)
$pemPath = Join-Path ([System.IO.Path]::GetTempPath()) "krjwt-example-$([Guid]::NewGuid().ToString('N')).pem"
Set-Content -LiteralPath $pemPath -Value $signingKey.ExportPkcs8PrivateKeyPem()
$recipientKey = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)

try {
    Write-Host '1. Sign with an RSA key (RS256, chosen from the key)'
    $issuer = New-KrJWTBuilder |
        Add-KrJWTIssuer -Issuer 'https://login.example' |
        Add-KrJWTAudience -Audience 'api://orders' |
        Protect-KrJWT -PemPath $pemPath |
        Limit-KrJWTValidity -Minutes 15
    $result = Copy-KrJWTTokenBuilder $issuer | Add-KrJWTSubject -Subject 'alice' | Build-KrJWT
    Write-Host "  alg $($result.Algorithm), kid $($result.KeyId)"
    Assert-That ($result.Algorithm -eq 'RS256') 'the token is signed RS256'

    Write-Host '2. Publish the verification key as a JWK Set (for GET /.well-known/jwks.json)'
    $jwks = $issuer | New-KrJwks
    Write-Host "  $($jwks.Substring(0, [Math]::Min(100, $jwks.Length)))..."
    $jwk = $issuer | Get-KrJwk
    Assert-That ($jwk.KeyId -eq (Get-KrJwkThumbprint -JwkJson $jwk.Json)) 'the kid is the RFC 7638 thumbprint of the key'
    Assert-That (-not $jwks.Contains('"d"')) 'the JWK Set holds no private key material'

    Write-Host '3. Validate with the JWK Set only (what the API knows)'
    $api = Get-KrJWTValidationParameter -JwksJson $jwks -Issuer 'https://login.example' -Audience 'api://orders'
    Assert-That (Test-KrJWT -ValidationParameter $api -Token $result.Token) 'the token is valid'
    $tampered = $result.Token.Substring(0, $result.Token.Length - 4) + 'AAAA'
    $report = Test-KrJWT -ValidationParameter $api -Token $tampered -Detailed
    Write-Host "  tampered copy: $($report.Reason)"
    Assert-That (-not $report.IsValid) 'a tampered copy is refused'

    Write-Host '4. Rotate: sign with a new key, publish both, old tokens keep working'
    $newKey = [System.Security.Cryptography.RSA]::Create(2048)
    $rotated = Copy-KrJWTTokenBuilder $issuer | Protect-KrJWT -Pem $newKey.ExportPkcs8PrivateKeyPem() -Algorithm PS256
    $both = Get-KrJWTValidationParameter -JwksJson ($issuer, $rotated | New-KrJwks) -Issuer 'https://login.example' -Algorithm RS256, PS256
    $newToken = ($rotated | Add-KrJWTSubject -Subject 'bob' | Build-KrJWT).Token
    Assert-That (Test-KrJWT -ValidationParameter $both -Token $result.Token) 'the old key''s token is still valid'
    Assert-That (Test-KrJWT -ValidationParameter $both -Token $newToken) 'the new key''s token is valid'

    Write-Host '5. Encrypt: the signed token inside a JWE for the recipient''s EC public key (ECDH-ES + A256GCM)'
    $encrypted = Copy-KrJWTTokenBuilder $issuer |
        Add-KrJWTSubject -Subject 'carol' |
        Protect-KrJWTPayload -Pem $recipientKey.ExportSubjectPublicKeyInfoPem() |
        Build-KrJWT
    Write-Host "  outer header: alg $($encrypted.OuterHeader['alg']), enc $($encrypted.OuterHeader['enc']), $($encrypted.Token.Split('.').Count) segments"
    Assert-That $encrypted.IsEncrypted 'the token is encrypted'
    $outside = $encrypted.Token | Get-KrJWTInfo
    Assert-That ($null -eq $outside.Claims) 'without the key only the outer header can be read'
    $recipient = Get-KrJWTValidationParameter -JwksJson $jwks -Issuer 'https://login.example' -Audience 'api://orders' `
        -DecryptionPem $recipientKey.ExportPkcs8PrivateKeyPem()
    Assert-That (Test-KrJWT -ValidationParameter $recipient -Token $encrypted.Token) 'the recipient decrypts and validates it'
    $inside = $encrypted.Token | Get-KrJWTInfo -ValidationParameter $recipient
    Write-Host "  inside: sub $($inside.Subject), alg $($inside.Algorithm)"
    Assert-That ($inside.Subject -eq 'carol') 'the recipient reads the claims'
}
finally {
    Remove-Item -LiteralPath $pemPath
}

if ($failures -gt 0) {
    Write-Host "$failures check(s) failed."
    exit 1
}
Write-Host 'All checks passed.'
exit 0
