# Objects of every type the KrJwt cmdlets output, made with known key material, for Format.Tests.ps1: the
# test formats them (in this process and in a child host) and looks for the key material in the text.
# Needs the module imported. New-FormatFixture returns @{ Objects = [ordered] name -> object;
# Secrets = strings that must never appear; Cleanup = a script block that unregisters the test scheme }.

function ConvertTo-FixtureBase64Url([byte[]] $Bytes) {
    [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_')
}

function New-FormatFixture {
    $rng = [System.Security.Cryptography.RandomNumberGenerator]
    $signingSecret = $rng::GetBytes(32)
    $encryptionSecret = $rng::GetBytes(32)
    $passphraseText = 'fixture-passphrase-' + [Convert]::ToHexString($rng::GetBytes(16))
    $passphrase = [System.Net.NetworkCredential]::new('', $passphraseText).SecurePassword
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $rsaParameters = $rsa.ExportParameters($true)
    $rsaPem = $rsa.ExportPkcs8PrivateKeyPem()
    $ec = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
    $ecParameters = $ec.ExportParameters($true)
    $ecJwk = '{{"kty":"EC","crv":"P-256","x":"{0}","y":"{1}","d":"{2}"}}' -f (ConvertTo-FixtureBase64Url $ecParameters.Q.X),
    (ConvertTo-FixtureBase64Url $ecParameters.Q.Y), (ConvertTo-FixtureBase64Url $ecParameters.D)
    $hex = [Convert]::ToHexString($signingSecret)
    $encryptionHex = [Convert]::ToHexString($encryptionSecret)

    $secrets = [System.Collections.Generic.List[string]]::new()
    foreach ($bytes in $signingSecret, $encryptionSecret, $rsaParameters.D, $rsaParameters.P, $rsaParameters.Q, $ecParameters.D) {
        $secrets.Add([Convert]::ToHexString($bytes).ToLowerInvariant())
        $secrets.Add([Convert]::ToHexString($bytes).ToUpperInvariant())
        $secrets.Add((ConvertTo-FixtureBase64Url $bytes))
        $secrets.Add([Convert]::ToBase64String($bytes).TrimEnd('='))
    }
    $secrets.Add($passphraseText)
    # The body of the private PEM, line by line (a line is 64 characters of the DER).
    foreach ($line in $rsaPem.Split("`n")) { if ($line.Length -ge 40 -and -not $line.StartsWith('-----')) { $secrets.Add($line.Trim()) } }

    $objects = [ordered]@{}
    $builder = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'FormatIssuer' | Add-KrJWTAudience -Audience 'FormatAudience' |
        Add-KrJWTSubject -Subject 'format-user' | Add-KrJWTClaim -ClaimType 'scope' -Value 'read' | Add-KrJWTClaim -ClaimType 'scope' -Value 'write' |
        Add-KrJWTHeader -Name 'x-tenant' -Value 'contoso' | Protect-KrJWT -HexadecimalKey $hex
    $objects['JwtTokenBuilder'] = $builder
    $result = $builder | Build-KrJWT
    $objects['JwtBuilderResult'] = $result
    $encrypted = $builder | Copy-KrJWTTokenBuilder | Protect-KrJWTPayload -HexadecimalKey $encryptionHex | Build-KrJWT
    $objects['JwtBuilderResult (encrypted)'] = $encrypted
    $rsaResult = New-KrJWTBuilder | Add-KrJWTSubject -Subject 'rsa-user' | Protect-KrJWT -Pem $rsaPem | Build-KrJWT
    $objects['JwtBuilderResult (RSA)'] = $rsaResult
    $ecBuilder = New-KrJWTBuilder | Protect-KrJWT -JwkJson $ecJwk
    $objects['JwtBuilderResult (EC JWK)'] = $ecBuilder | Build-KrJWT

    $objects['JwtValidationParameters (result)'] = $result | Get-KrJWTValidationParameter
    $objects['JwtValidationParameters (keys)'] = Get-KrJWTValidationParameter -HexadecimalKey $hex -Issuer 'FormatIssuer' `
        -DecryptionHexadecimalKey $encryptionHex -DecryptionPem $rsaPem
    $objects['JwtValidationParameters (PBES2)'] = Get-KrJWTValidationParameter -Pem $rsaPem -DecryptionPassphrase $passphrase -DecryptionKeyAlg 'PBES2-HS256+A128KW'
    $objects['JwtValidationParameters (JWKS)'] = Get-KrJWTValidationParameter -JwksJson (New-KrJwks $rsaResult, $ecBuilder)

    $objects['JwtValidationReport (valid)'] = Test-KrJWT -Token $result.Token -Result $result -Detailed
    $objects['JwtValidationReport (encrypted)'] = Test-KrJWT -Token $encrypted.Token -Result $encrypted -Detailed
    $objects['JwtValidationReport (invalid)'] = Test-KrJWT -Token ($result.Token + 'x') -Result $result -Detailed

    $objects['JwtInfo'] = Get-KrJWTInfo -Token $result.Token
    $objects['JwtInfo (encrypted)'] = Get-KrJWTInfo -Token $encrypted.Token
    $objects['JwtInfo (decrypted)'] = Get-KrJWTInfo -Token $encrypted.Token -HexadecimalKey $encryptionHex

    $objects['Jwk (RSA)'] = $rsaResult | Get-KrJwk
    $objects['Jwk (EC)'] = Get-KrJwk -JwkJson $ecJwk
    $objects['JWKS'] = New-KrJwks $rsaResult, $ecBuilder

    $scheme = Add-KrJWTBearerAuthentication -AuthenticationScheme 'FormatTest' -SigningKeyHexadecimal $hex -ValidIssuer 'FormatIssuer' `
        -ClaimPolicy @{ CanWrite = @{ Claim = 'scope'; Values = @('write') } } -PassThru -WarningAction SilentlyContinue
    $objects['JwtBearerScheme'] = $scheme
    $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "Bearer $($result.Token)" } } }
    $objects['JwtBearerReport (valid)'] = Test-KrJWT -FromContext -Scheme 'FormatTest' -Policy 'CanWrite' -Detailed
    $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{} } }
    $objects['JwtBearerReport (no token)'] = Test-KrJWT -FromContext -Scheme 'FormatTest' -Detailed

    # Key material handed to cmdlets that refuse it: their errors must not repeat it.
    $short = [Convert]::ToHexString($rng::GetBytes(16))
    $secrets.Add($short.ToLowerInvariant())
    $secrets.Add($short.ToUpperInvariant())
    $badJwk = '{"kty":"RSA","n":"AQAB","e":"AQAB","d":"' + (ConvertTo-FixtureBase64Url $rsaParameters.D) + '"}'
    $badPem = "-----BEGIN PRIVATE KEY-----`n" + $rsaPem.Split("`n")[1] + "`n-----END PRIVATE KEY-----"
    $errors = [ordered]@{}
    $attempts = [ordered]@{
        'short secret'          = { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey $short -Algorithm HS256 }
        'secret for RS256'      = { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey $hex -Algorithm RS256 }
        'broken JWK'            = { New-KrJWTBuilder | Protect-KrJWT -JwkJson $badJwk }
        'JWK that is not JSON'  = { New-KrJWTBuilder | Protect-KrJWT -JwkJson ($badJwk.TrimEnd('}')) }
        'truncated PEM'         = { New-KrJWTBuilder | Protect-KrJWT -Pem $badPem }
        'short passphrase'      = { New-KrJWTBuilder | Protect-KrJWT -Passphrase $passphrase -Algorithm HS512 }
        'secret published'      = { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey $hex | Get-KrJwk }
        'wrong encryption size' = { New-KrJWTBuilder | Protect-KrJWTPayload -HexadecimalKey $short.Substring(0, 30) }
        'wrong decryption key'  = { Get-KrJWTInfo -Token $encrypted.Token -HexadecimalKey $hex -ErrorAction Stop }
    }
    foreach ($name in $attempts.Keys) {
        try { $null = & $attempts[$name]; $errors[$name] = $null }
        catch { $errors[$name] = $_ }
    }

    @{
        Objects = $objects
        Errors  = $errors
        Secrets = $secrets.ToArray()
        Cleanup = { $null = [KrJwt.JwtBearerSchemes]::Remove('FormatTest') }
    }
}
