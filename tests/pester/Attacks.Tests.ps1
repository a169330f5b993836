# The attack suite through the cmdlets: one It per attack class a JWT verifier must resist (PRODUCT.md
# section 5), each asserting the exact Reason of Test-KrJWT -Detailed, that its Message is a sentence naming
# the problem, that no claims are shown for a token whose signature was not verified, that the $true/$false
# form agrees, and - where a builder can hold the same key - that Update-KrJWT refuses to renew the token
# with that reason. Get-KrJWTValidationParameter refusals (keys that cannot be pinned safely) are here too.
# tests/attacks.rs is the same inventory at the C ABI, with timing measurements (RSA1_5, PBES2).
#
# Tokens are forged with .NET (HMAC, AES-GCM, RSA) or with KrJwt itself holding an attacker's key: an
# attacker can sign anything with their own keys and re-encode any segment.

Describe 'Attacks' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'KeyHelpers.ps1'))

        $script:Iss = 'https://issuer.krjwt.test'
        $script:Aud = 'krjwt-api'
        $script:HexKey = New-TestHexKey 32
        $script:Secret = [Convert]::FromHexString($script:HexKey)
        $script:Validation = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -Issuer $script:Iss -Audience $script:Aud
        $script:Renewer = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer $script:Iss | Add-KrJWTAudience -Audience $script:Aud |
            Protect-KrJWT -HexadecimalKey $script:HexKey

        $script:Rsa, $script:RsaPrivatePem, $script:RsaPublicPem = New-TestRsaKey
        $script:AttackerRsaPem = [System.Security.Cryptography.RSA]::Create(2048).ExportPkcs8PrivateKeyPem()
        $script:AttackerEcPem = (New-TestEcKey -Curve 'P-256').ExportPkcs8PrivateKeyPem()

        # Reasons given before any signature is verified: such reports never carry claims.
        $script:Unverified = 'AlgorithmNotAllowed', 'InvalidSignature', 'UnsupportedCritical', 'DecryptionFailed', 'KeyNotFound', 'TooLarge'

        # A JSON value as text: strings, numbers, booleans, null, arrays, dictionaries, and raw JSON
        # given as @{ RawJson = '...' } (for numbers .NET cannot hold, duplicates, ...).
        function ConvertTo-AttackJson {
            param($Value)
            if ($null -eq $Value) { return 'null' }
            if ($Value -is [System.Collections.IDictionary]) {
                if ($Value.Contains('RawJson') -and $Value.Count -eq 1) { return [string]$Value['RawJson'] }
                $members = foreach ($name in $Value.Keys) { (ConvertTo-AttackJson ([string]$name)) + ':' + (ConvertTo-AttackJson $Value[$name]) }
                return '{' + ($members -join ',') + '}'
            }
            if ($Value -is [string]) { return '"' + [System.Text.Json.JsonEncodedText]::Encode([string]$Value).Value + '"' }
            if ($Value -is [bool]) { return $Value.ToString().ToLowerInvariant() }
            if ($Value -is [System.Collections.IEnumerable]) { return '[' + ((@($Value) | ForEach-Object { ConvertTo-AttackJson $_ }) -join ',') + ']' }
            if ($Value -is [double]) { return $Value.ToString('R', [cultureinfo]::InvariantCulture) }
            return ([System.IConvertible]$Value).ToString([cultureinfo]::InvariantCulture)
        }

        function ConvertTo-AttackSegment {
            param([string] $Json)
            ConvertTo-TestBase64Url ([System.Text.Encoding]::UTF8.GetBytes($Json))
        }

        # Claims that pass every claim check, so that refusals are about the attack; $Change sets or (with
        # $null) removes members.
        function Get-AttackClaims {
            param([System.Collections.IDictionary] $Change = @{})
            $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
            $claims = [ordered]@{ sub = 'mallory'; iss = $script:Iss; aud = $script:Aud; nbf = $now - 10; iat = $now - 10; exp = $now + 600 }
            foreach ($name in $Change.Keys) {
                if ($null -eq $Change[$name]) { $claims.Remove($name) } else { $claims[$name] = $Change[$name] }
            }
            ConvertTo-AttackJson $claims
        }

        # An HMAC over a signing input, as an attacker computes it (any key, any hash).
        function Get-AttackMac {
            param([string] $SigningInput, [byte[]] $Key = $script:Secret, [string] $Hash = 'SHA256')
            $data = [System.Text.Encoding]::ASCII.GetBytes($SigningInput)
            switch ($Hash) {
                'SHA256' { [System.Security.Cryptography.HMACSHA256]::HashData($Key, $data) }
                'SHA384' { [System.Security.Cryptography.HMACSHA384]::HashData($Key, $data) }
                'SHA512' { [System.Security.Cryptography.HMACSHA512]::HashData($Key, $data) }
            }
        }

        # header.payload.MAC over exactly these JSON texts.
        function New-HmacToken {
            param([string] $Header = '{"alg":"HS256","typ":"JWT"}', [string] $Payload = (Get-AttackClaims), [byte[]] $Key = $script:Secret, [string] $Hash = 'SHA256')
            $signingInput = (ConvertTo-AttackSegment $Header) + '.' + (ConvertTo-AttackSegment $Payload)
            $signingInput + '.' + (ConvertTo-TestBase64Url (Get-AttackMac -SigningInput $signingInput -Key $Key -Hash $Hash))
        }

        # A token KrJwt itself signs with the key $Protect attaches (an attacker's, or the legitimate one).
        function New-KrToken {
            param([scriptblock] $Protect, [string] $Issuer = $script:Iss)
            $builder = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer $Issuer | Add-KrJWTAudience -Audience $script:Aud | Add-KrJWTSubject -Subject 'mallory'
            (& $Protect $builder | Build-KrJWT).Token
        }

        # The token with its (JWS or JWE) header changed by $Change (a script block getting the header
        # as an ordered dictionary); the other segments are kept.
        function Edit-AttackHeader {
            param([string] $Token, [scriptblock] $Change)
            $parts = $Token.Split('.')
            $header = Get-TestTokenHeader $Token
            & $Change $header
            $parts[0] = ConvertTo-AttackSegment (ConvertTo-AttackJson $header)
            $parts -join '.'
        }

        # The token with one segment's bytes changed by $Change (a script block returning the new bytes).
        function Edit-AttackSegment {
            param([string] $Token, [int] $Index, [scriptblock] $Change)
            $parts = $Token.Split('.')
            [byte[]] $bytes = ConvertFrom-TestBase64Url $parts[$Index]
            [byte[]] $changed = & $Change $bytes
            $parts[$Index] = ConvertTo-TestBase64Url $changed
            $parts -join '.'
        }

        # A compact JWE (dir, A256GCM) sealed here with a valid tag over any protected header, so that
        # refusals cannot come from a broken tag.
        function New-DirJwe {
            param([byte[]] $Key, [string] $Header = '{"alg":"dir","enc":"A256GCM","cty":"JWT"}', [byte[]] $Plaintext)
            $protected = ConvertTo-AttackSegment $Header
            $iv = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes(12)
            $cipher = [byte[]]::new($Plaintext.Length)
            $tag = [byte[]]::new(16)
            $aes = [System.Security.Cryptography.AesGcm]::new($Key, 16)
            try { $aes.Encrypt($iv, $Plaintext, $cipher, $tag, [System.Text.Encoding]::ASCII.GetBytes($protected)) } finally { $aes.Dispose() }
            "$protected..$(ConvertTo-TestBase64Url $iv).$(ConvertTo-TestBase64Url $cipher).$(ConvertTo-TestBase64Url $tag)"
        }

        # Asserts that a token is refused with $Reason through Test-KrJWT (detailed and bool) and, with
        # -Renewer, through Update-KrJWT; the message must mention every $Hint. Returns the report.
        function Assert-Refused {
            param(
                [Parameter(Mandatory)] [AllowEmptyString()] [string] $Token,
                [Parameter(Mandatory)] [string] $Reason,
                [string[]] $Hint = @(),
                [string] $Case = $Reason,
                $ValidationParameter = $script:Validation,
                $Renewer)
            $report = Test-KrJWT -ValidationParameter $ValidationParameter -Token $Token -Detailed
            $shown = "$($report.Reason): $($report.Message)"
            if ("$($report.Reason)" -ne $Reason -or $report.IsValid) { throw "${Case}: expected $Reason, got $shown" }
            if (Test-KrJWT -ValidationParameter $ValidationParameter -Token $Token) { throw "${Case}: Test-KrJWT without -Detailed says valid" }
            $message = [string]$report.Message
            if ($message.Length -lt 20 -or $message -cnotmatch '^[A-Z]' -or $message.TrimEnd() -notmatch '[.)]$') { throw "${Case}: not a helpful sentence: $shown" }
            foreach ($h in $Hint) {
                if ($message.IndexOf($h, [StringComparison]::OrdinalIgnoreCase) -lt 0) { throw "${Case}: the message does not mention '$h': $shown" }
            }
            if ($Reason -in $script:Unverified -and $null -ne $report.Claims) { throw "${Case}: claims shown for a token whose signature was not verified" }
            if ($Renewer) {
                $renewed = $null
                try { $renewed = Update-KrJWT -Builder $Renewer -Token $Token -ErrorAction Stop } catch {
                    if ($_.FullyQualifiedErrorId -notlike 'KrJwt.InvalidToken*') { throw "${Case}: Update-KrJWT failed with $($_.FullyQualifiedErrorId): $($_.Exception.Message)" }
                    if ($_.Exception.Message -notlike "*($Reason)*") { throw "${Case}: Update-KrJWT does not give the reason $($Reason): $($_.Exception.Message)" }
                }
                if ($renewed) { throw "${Case}: Update-KrJWT renewed the token" }
            }
            $report
        }

        # Assert-Refused for every variant of a token ($Variants: what it is -> the token), each named as its case.
        function Assert-EachRefused {
            param([System.Collections.IDictionary] $Variants, [string] $Reason, [string[]] $Hint = @(), $ValidationParameter = $script:Validation, $Renewer)
            foreach ($what in $Variants.Keys) {
                Assert-Refused $Variants[$what] $Reason -Hint $Hint -Case $what -ValidationParameter $ValidationParameter -Renewer $Renewer | Out-Null
            }
        }

        function Assert-Accepted {
            param([string] $Token, [string] $Case = 'control', $ValidationParameter = $script:Validation)
            $report = Test-KrJWT -ValidationParameter $ValidationParameter -Token $Token -Detailed
            if (-not $report.IsValid) { throw "${Case}: expected Valid, got $($report.Reason): $($report.Message)" }
            $report
        }
    }

    It 'alg none: refused in any case (none, None, NONE, nOnE), with or without a signature, and cannot be allowed' {
        Assert-Accepted (New-HmacToken) | Out-Null
        foreach ($name in 'none', 'None', 'NONE', 'nOnE') {
            $header = "{`"alg`":`"$name`",`"typ`":`"JWT`"}"
            $unsigned = (ConvertTo-AttackSegment $header) + '.' + (ConvertTo-AttackSegment (Get-AttackClaims))
            foreach ($token in "$unsigned.", (New-HmacToken -Header $header), "$unsigned.$(ConvertTo-TestBase64Url ([byte[]](1..32)))") {
                $report = Assert-Refused $token 'AlgorithmNotAllowed' -Hint 'unsigned', "'none'", 'never accepted' -Case "alg $name" -Renewer $script:Renewer
                $report.Header['alg'] | Should -BeExactly $name
            }
            Assert-Refused $unsigned 'Malformed' -Hint 'three base64url parts' -Case "alg $name without a third segment" | Out-Null
        }
        $script:Validation.RequireSignedTokens | Should -BeTrue
        { Add-KrJWTBearerAuthentication -Name 'attacks-unsigned' -SigningKeyHexadecimal $script:HexKey -DoesNotRequireSignedTokens } | Should -Throw
    }

    It 'algorithm substitution: a token re-signed under RS256, PS256, ES256, EdDSA or a bigger HMAC is refused' {
        $substitutes = @(
            @{ Alg = 'RS256'; Protect = { $args[0] | Protect-KrJWT -Pem $script:AttackerRsaPem } }
            @{ Alg = 'PS256'; Protect = { $args[0] | Protect-KrJWT -Pem $script:AttackerRsaPem -Algorithm PS256 } }
            @{ Alg = 'ES256'; Protect = { $args[0] | Protect-KrJWT -Pem $script:AttackerEcPem } }
            @{ Alg = 'EdDSA'; Protect = { $args[0] | Protect-KrJWT -Pem (Get-TestEd25519Pem) } }
        )
        foreach ($s in $substitutes) {
            $token = New-KrToken -Protect $s.Protect
            (Get-TestTokenHeader $token).alg | Should -BeExactly $s.Alg
            Assert-Refused $token 'AlgorithmNotAllowed' -Hint "signed with '$($s.Alg)'", 'only HS256 is accepted' -Case $s.Alg -Renewer $script:Renewer | Out-Null
        }
        foreach ($hash in 'SHA384', 'SHA512') {
            $alg = 'HS' + $hash.Substring(3)
            $token = New-HmacToken -Header "{`"alg`":`"$alg`"}" -Hash $hash
            Assert-Refused $token 'AlgorithmNotAllowed' -Hint "signed with '$alg'", 'only HS256' -Case "$alg over the same secret" -Renewer $script:Renewer | Out-Null
        }
        foreach ($alg in 'hs256', 'HS256 ', 'Hs256') {
            Assert-Refused (New-HmacToken -Header "{`"alg`":`"$alg`"}") 'AlgorithmNotAllowed' -Hint 'only HS256' -Case "alg '$alg'" | Out-Null
        }
        # The other way: RSA validation parameters and an HMAC token, PSS for a PKCS#1 pin.
        $rsaValidation = Get-KrJWTValidationParameter -Pem $script:RsaPublicPem -Issuer $script:Iss -Audience $script:Aud
        $rsaRenewer = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer $script:Iss | Add-KrJWTAudience -Audience $script:Aud | Protect-KrJWT -Pem $script:RsaPrivatePem
        Assert-Accepted (New-KrToken { $args[0] | Protect-KrJWT -Pem $script:RsaPrivatePem }) -ValidationParameter $rsaValidation | Out-Null
        Assert-Refused (New-HmacToken) 'AlgorithmNotAllowed' -Hint "signed with 'HS256'", 'only RS256 is accepted' -ValidationParameter $rsaValidation -Renewer $rsaRenewer | Out-Null
        $pss = New-KrToken { $args[0] | Protect-KrJWT -Pem $script:RsaPrivatePem -Algorithm PS256 }
        Assert-Refused $pss 'AlgorithmNotAllowed' -Hint "signed with 'PS256'" -ValidationParameter $rsaValidation -Renewer $rsaRenewer | Out-Null
    }

    It 'key confusion: the public key (PEM, DER, JWK, modulus) as the HMAC secret is refused, and cannot be configured' {
        $rsaValidation = Get-KrJWTValidationParameter -Pem $script:RsaPublicPem -Issuer $script:Iss -Audience $script:Aud
        $listingHs256 = Get-KrJWTValidationParameter -Pem $script:RsaPublicPem -Issuer $script:Iss -Audience $script:Aud -Algorithm RS256, HS256
        $listingHs256.Algorithms | Should -Not -Contain 'HS256'
        $p = $script:Rsa.ExportParameters($false)
        $jwk = ConvertTo-TestRsaJwk -Rsa $script:Rsa
        $forms = [ordered]@{
            'SPKI PEM text' = [System.Text.Encoding]::ASCII.GetBytes($script:RsaPublicPem)
            'SPKI PEM text with a newline' = [System.Text.Encoding]::ASCII.GetBytes($script:RsaPublicPem + "`n")
            'PKCS#1 PEM text' = [System.Text.Encoding]::ASCII.GetBytes($script:Rsa.ExportRSAPublicKeyPem())
            'SPKI DER' = $script:Rsa.ExportSubjectPublicKeyInfo()
            'PKCS#1 DER' = $script:Rsa.ExportRSAPublicKey()
            'JWK text' = [System.Text.Encoding]::UTF8.GetBytes($jwk)
            'modulus bytes' = $p.Modulus
            'modulus as base64url text' = [System.Text.Encoding]::ASCII.GetBytes((ConvertTo-TestBase64Url $p.Modulus))
        }
        foreach ($form in $forms.Keys) {
            $token = New-HmacToken -Key $forms[$form]
            foreach ($vp in $rsaValidation, $listingHs256) {
                Assert-Refused $token 'AlgorithmNotAllowed' -Hint "signed with 'HS256'", 'only RS256 is accepted' -Case "HMAC keyed with the $form" -ValidationParameter $vp | Out-Null
            }
        }
        { Get-KrJWTValidationParameter -Pem $script:RsaPublicPem -Algorithm HS256 } |
            Should -Throw -ErrorId 'KrJwt.InvalidKey*' -ExpectedMessage '*cannot verify any of the allowed algorithms (HS256)*'
        $hsJwk = $jwk.TrimEnd('}') + ',"alg":"HS256"}'
        { Get-KrJWTValidationParameter -JwkJson $hsJwk } | Should -Throw -ErrorId 'KrJwt.InvalidKey*' -ExpectedMessage '*would let anyone forge tokens*'
        { Get-KrJWTValidationParameter -JwksJson "{`"keys`":[$hsJwk]}" } | Should -Throw -ErrorId 'KrJwt.InvalidKey*' -ExpectedMessage '*would let anyone forge tokens*'
        { New-KrJWTBuilder | Protect-KrJWT -Pem $script:RsaPrivatePem -Algorithm HS256 } | Should -Throw -ErrorId 'KrJwt.InvalidKey*' -ExpectedMessage '*HMAC needs a shared secret*'
    }

    It 'stripped or truncated signatures are refused' {
        $token = New-HmacToken
        $input, $signature = $token.Substring(0, $token.LastIndexOf('.')), $token.Substring($token.LastIndexOf('.') + 1)
        [byte[]] $mac = ConvertFrom-TestBase64Url $signature
        Assert-EachRefused ([ordered]@{
                'stripped (empty third segment)' = "$input."
                'last byte cut' = "$input.$(ConvertTo-TestBase64Url $mac[0..30])"
                'half cut' = "$input.$(ConvertTo-TestBase64Url $mac[0..15])"
                'one byte' = "$input.$(ConvertTo-TestBase64Url $mac[0..0])"
                'all zeros' = "$input.$(ConvertTo-TestBase64Url ([byte[]]::new(32)))"
            }) 'InvalidSignature' -Hint 'signature does not match' -Renewer $script:Renewer
        Assert-Refused $input 'Malformed' -Hint 'three base64url parts' -Case 'signature segment removed' -Renewer $script:Renewer | Out-Null
        $rsaToken = New-KrToken { $args[0] | Protect-KrJWT -Pem $script:RsaPrivatePem }
        $rsaValidation = Get-KrJWTValidationParameter -Pem $script:RsaPublicPem -Issuer $script:Iss -Audience $script:Aud
        $rsaInput = $rsaToken.Substring(0, $rsaToken.LastIndexOf('.'))
        [byte[]] $rsaSignature = ConvertFrom-TestBase64Url $rsaToken.Substring($rsaToken.LastIndexOf('.') + 1)
        foreach ($cut in "$rsaInput.", "$rsaInput.$(ConvertTo-TestBase64Url $rsaSignature[1..255])", "$rsaInput.$(ConvertTo-TestBase64Url $rsaSignature[0..127])") {
            Assert-Refused $cut 'InvalidSignature' -Hint 'signature does not match' -Case 'RS256 signature cut' -ValidationParameter $rsaValidation | Out-Null
        }
    }

    It 'ECDSA signatures with r or s out of range (psychic signatures: r = s = 0, n, above n) are refused' {
        $ec = New-TestEcKey -Curve 'P-256'
        $validation = Get-KrJWTValidationParameter -Pem $ec.ExportSubjectPublicKeyInfoPem() -Issuer $script:Iss -Audience $script:Aud
        $renewer = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer $script:Iss | Add-KrJWTAudience -Audience $script:Aud | Protect-KrJWT -Pem $ec.ExportPkcs8PrivateKeyPem()
        $token = New-KrToken { $args[0] | Protect-KrJWT -Pem $ec.ExportPkcs8PrivateKeyPem() }
        Assert-Accepted $token -ValidationParameter $validation | Out-Null
        $input = $token.Substring(0, $token.LastIndexOf('.'))
        [byte[]] $genuine = ConvertFrom-TestBase64Url $token.Substring($token.LastIndexOf('.') + 1)
        [byte[]] $n = [Convert]::FromHexString('FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551')
        [byte[]] $nPlusOne = [Convert]::FromHexString('FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632552')
        [byte[]] $zero = [byte[]]::new(32)
        [byte[]] $ones = [byte[]]::new(32); [Array]::Fill($ones, [byte]0xff)
        $r, $s = [byte[]]$genuine[0..31], [byte[]]$genuine[32..63]
        $cases = [ordered]@{
            'r = s = 0' = $zero + $zero
            'r = 0' = $zero + $s
            's = 0' = $r + $zero
            'r = s = n' = $n + $n
            's = n' = $r + $n
            'r = s = n + 1' = $nPlusOne + $nPlusOne
            'r = s = 2^256 - 1' = $ones + $ones
        }
        foreach ($what in $cases.Keys) {
            Assert-Refused "$input.$(ConvertTo-TestBase64Url ([byte[]]$cases[$what]))" 'InvalidSignature' -Hint 'signature does not match' -Case $what `
                -ValidationParameter $validation -Renewer $renewer | Out-Null
        }
    }

    It 'invalid-curve ECDH-ES points (epk off the curve, on another curve, small-order X25519) are refused' {
        $ec = New-TestEcKey -Curve 'P-256'
        $validation = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -Issuer $script:Iss -Audience $script:Aud -DecryptionPem $ec.ExportPkcs8PrivateKeyPem()
        $token = New-KrToken { $args[0] | Protect-KrJWT -HexadecimalKey $script:HexKey | Protect-KrJWTPayload -Pem $ec.ExportSubjectPublicKeyInfoPem() -KeyAlg 'ECDH-ES' -EncAlg 'A256GCM' }
        Assert-Accepted $token -ValidationParameter $validation | Out-Null
        $offCurve = Edit-AttackHeader $token {
            param($h)
            [byte[]] $y = ConvertFrom-TestBase64Url $h.epk.y
            $y[31] = $y[31] -bxor 1
            $h.epk.y = ConvertTo-TestBase64Url $y
        }
        Assert-Refused $offCurve 'Malformed' -Hint 'ephemeral public key (epk)', 'not on the P-256 curve' -ValidationParameter $validation | Out-Null
        $origin = Edit-AttackHeader $token { param($h) $h.epk.x = ConvertTo-TestBase64Url ([byte[]]::new(32)); $h.epk.y = ConvertTo-TestBase64Url ([byte[]]::new(32)) }
        Assert-Refused $origin 'Malformed' -Hint 'epk' -Case 'epk (0, 0)' -ValidationParameter $validation | Out-Null
        $p384 = (New-TestEcKey -Curve 'P-384').ExportParameters($false)
        $otherCurve = Edit-AttackHeader $token {
            param($h)
            $h.epk = [ordered]@{ kty = 'EC'; crv = 'P-384'; x = (ConvertTo-TestBase64Url $p384.Q.X); y = (ConvertTo-TestBase64Url $p384.Q.Y) }
        }
        Assert-Refused $otherCurve 'Malformed' -Hint 'epk', 'same curve' -Case 'epk on P-384' -ValidationParameter $validation | Out-Null

        $x25519Pem = New-TestOkpPem -Curve X25519
        $xValidation = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -Issuer $script:Iss -Audience $script:Aud -DecryptionPem $x25519Pem
        $xToken = New-KrToken { $args[0] | Protect-KrJWT -HexadecimalKey $script:HexKey | Protect-KrJWTPayload -Pem $x25519Pem -KeyAlg 'ECDH-ES' }
        Assert-Accepted $xToken -ValidationParameter $xValidation | Out-Null
        $reference = $null
        foreach ($point in '0000000000000000000000000000000000000000000000000000000000000000',
                           '0100000000000000000000000000000000000000000000000000000000000000',
                           'e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800',
                           'ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f') {
            $forged = Edit-AttackHeader $xToken { param($h) $h.epk.x = ConvertTo-TestBase64Url ([Convert]::FromHexString($point)) }
            # Refused as a key, before any agreement: the header is public, so the answer reveals nothing.
            $report = Assert-Refused $forged 'Malformed' -Hint 'epk', 'small order' -Case "X25519 epk $point" -ValidationParameter $xValidation
            if ($null -eq $reference) { $reference = $report.Message }
            $report.Message | Should -BeExactly $reference
        }
    }

    It 'RSA1_5 padding-oracle probes (wrong key, corrupted or re-encrypted key) all get one reason and one message' {
        $validation = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -Issuer $script:Iss -Audience $script:Aud `
            -DecryptionPem $script:RsaPrivatePem -DecryptionKeyAlg 'RSA1_5' -DecryptionEncAlg 'A128CBC-HS256'
        $renewer = $script:Renewer | Copy-KrJWTTokenBuilder | Protect-KrJWTPayload -Pem $script:RsaPrivatePem -KeyAlg 'RSA1_5' -EncAlg 'A128CBC-HS256'
        $token = New-KrToken { $args[0] | Protect-KrJWT -HexadecimalKey $script:HexKey | Protect-KrJWTPayload -Pem $script:RsaPublicPem -KeyAlg 'RSA1_5' -EncAlg 'A128CBC-HS256' }
        Assert-Accepted $token -ValidationParameter $validation | Out-Null
        $pkcs1 = [System.Security.Cryptography.RSAEncryptionPadding]::Pkcs1
        $probes = [ordered]@{
            'a token for another key' = New-KrToken { $args[0] | Protect-KrJWT -HexadecimalKey $script:HexKey | Protect-KrJWTPayload -Pem $script:AttackerRsaPem -KeyAlg 'RSA1_5' -EncAlg 'A128CBC-HS256' }
            'a corrupted encrypted key (bad padding)' = Edit-AttackSegment $token 1 { param($k) $k[40] = $k[40] -bxor 0x10; , $k }
            'valid padding, a wrong 32-byte CEK' = Edit-AttackSegment $token 1 { , $script:Rsa.Encrypt([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32), $pkcs1) }
            'valid padding, a 5-byte CEK' = Edit-AttackSegment $token 1 { , $script:Rsa.Encrypt([byte[]](1, 2, 3, 4, 5), $pkcs1) }
            'a tampered ciphertext' = Edit-AttackSegment $token 3 { param($c) $c[0] = $c[0] -bxor 1; , $c }
        }
        $messages = foreach ($what in $probes.Keys) {
            (Assert-Refused $probes[$what] 'DecryptionFailed' -Case $what -ValidationParameter $validation -Renewer $renewer).Message
        }
        [System.Collections.Generic.HashSet[string]]::new([string[]]$messages).Count | Should -Be 1 -Because 'every probe must get the same answer'
        # Unless named, RSA1_5 is not accepted at all: there is no oracle to query.
        $default = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -Issuer $script:Iss -Audience $script:Aud -DecryptionPem $script:RsaPrivatePem
        Assert-Refused $token 'AlgorithmNotAllowed' -Hint 'RSA1_5' -ValidationParameter $default | Out-Null
    }

    It 'PBES2 iteration counts that would burn CPU are refused before any key derivation' {
        $password = ConvertTo-SecureString 'correct horse battery staple' -AsPlainText -Force
        $alg = 'PBES2-HS256+A128KW'
        $validation = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -Issuer $script:Iss -Audience $script:Aud `
            -DecryptionPassphrase $password -DecryptionKeyAlg $alg
        $token = New-KrToken { $args[0] | Protect-KrJWT -HexadecimalKey $script:HexKey | Protect-KrJWTPayload -Passphrase $password -KeyAlg $alg -EncAlg 'A128GCM' }
        Assert-Accepted $token -ValidationParameter $validation | Out-Null
        # Calibration: 9,999 iterations are accepted by default (the changed header then fails the tag).
        $calibration = Edit-AttackHeader $token { param($h) $h.p2c = 9999 }
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        Assert-Refused $calibration 'DecryptionFailed' -ValidationParameter $validation | Out-Null
        $tenThousand = $watch.Elapsed
        foreach ($p2c in 10000000, 2147483647, 1000000, 10001, 0) {
            $forged = Edit-AttackHeader $token { param($h) $h.p2c = $p2c }
            $watch.Restart()
            Assert-Refused $forged 'Malformed' -Hint 'iteration count (p2c)', '1000 to 10000 ' -Case "p2c $p2c" -ValidationParameter $validation | Out-Null
            # Refusing must cost a small part of a derivation.
            $watch.Elapsed.TotalMilliseconds | Should -BeLessThan ([Math]::Max(50, $tenThousand.TotalMilliseconds / 2)) -Because "p2c $p2c must be refused before any derivation ($tenThousand for 9,999 iterations)"
        }
        $default = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -Issuer $script:Iss -Audience $script:Aud -DecryptionHexadecimalKey (New-TestHexKey 32)
        Assert-Refused (Edit-AttackHeader $token { param($h) $h.p2c = 10000000 }) 'AlgorithmNotAllowed' -Hint $alg -Case 'PBES2 not named' -ValidationParameter $default | Out-Null
    }

    It 'zip-compressed encrypted tokens (decompression bombs) are refused by their header' {
        $encryptionHex = New-TestHexKey 32
        $validation = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -Issuer $script:Iss -Audience $script:Aud -DecryptionHexadecimalKey $encryptionHex
        $inner = New-HmacToken
        $key = [Convert]::FromHexString($encryptionHex)
        Assert-Accepted (New-DirJwe -Key $key -Plaintext ([System.Text.Encoding]::ASCII.GetBytes($inner))) -ValidationParameter $validation | Out-Null
        foreach ($zip in '"DEF"', '"def"', '"GZIP"', 'null') {
            $sealed = New-DirJwe -Key $key -Header "{`"alg`":`"dir`",`"enc`":`"A256GCM`",`"cty`":`"JWT`",`"zip`":$zip}" -Plaintext ([byte[]]::new(4096))
            Assert-Refused $sealed 'AlgorithmNotAllowed' -Hint 'compressed', 'zip', 'decompression bombs' -Case "zip $zip" -ValidationParameter $validation | Out-Null
        }
    }

    It 'crit abuse (unknown names, an empty list, registered names, not an array) is refused' {
        $crits = '["x-unknown"]', '["b64"]', '[]', '["alg"]', '["exp"]', '"x-unknown"', '{"x":1}', '1', 'null'
        $problems = foreach ($crit in $crits) {
            try { Assert-Refused (New-HmacToken -Header "{`"alg`":`"HS256`",`"crit`":$crit,`"x-unknown`":1,`"b64`":false}") 'UnsupportedCritical' -Hint 'critical', 'crit' -Case "crit $crit" -Renewer $script:Renewer | Out-Null }
            catch { $_.Exception.Message }
        }
        $problems | Should -BeNullOrEmpty
    }

    It 'keys embedded or named in the header (jwk, jku, x5u, x5c) are never trusted, and nothing is fetched' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
        $listener.Start()
        try {
            $url = "http://127.0.0.1:$($listener.LocalEndpoint.Port)/jwks.json"
            $rsaValidation = Get-KrJWTValidationParameter -Pem $script:RsaPublicPem -Issuer $script:Iss -Audience $script:Aud
            $attacker = [System.Security.Cryptography.RSA]::Create(2048)
            $attackerPem = $attacker.ExportPkcs8PrivateKeyPem()
            $attackerJwk = ConvertFrom-TestJson (ConvertTo-TestRsaJwk -Rsa $attacker)
            $certificate = New-TestCertificate -Key $attacker
            $kid = $rsaValidation.KeyIds[0]
            $headers = [ordered]@{
                'jwk' = @{ jwk = $attackerJwk }
                'jwk with the legitimate kid' = @{ jwk = $attackerJwk; kid = $kid }
                'jku' = @{ jku = $url }
                'jku with the legitimate kid' = @{ jku = $url; kid = $kid }
                'x5u' = @{ x5u = $url }
                'x5c' = @{ x5c = @([Convert]::ToBase64String($certificate.RawData)) }
            }
            foreach ($what in $headers.Keys) {
                $forged = New-KrToken { $args[0] | Add-KrJWTHeader -Name 'x' -Value 1 | Protect-KrJWT -Pem $attackerPem }
                $forged = Edit-AttackHeader $forged { param($h) foreach ($n in $headers[$what].Keys) { $h[$n] = $headers[$what][$n] } }
                Assert-Refused $forged 'InvalidSignature' -Hint 'signature does not match', 'another key' -Case "attacker's token with $what" -ValidationParameter $rsaValidation | Out-Null
            }
            $listener.Pending() | Should -BeFalse -Because 'no key may be fetched from a URL a token names'
        } finally {
            $listener.Stop()
        }
    }

    It 'kid injection values (path traversal, SQL, header injection) are opaque strings' {
        $jwks = '{"keys":[{"kty":"oct","kid":"alpha","k":"' + (ConvertTo-TestBase64Url ([byte[]]::new(32) | ForEach-Object { [byte]1 })) + '"},' +
                '{"kty":"oct","kid":"beta","k":"' + (ConvertTo-TestBase64Url ([byte[]]::new(32) | ForEach-Object { [byte]2 })) + '"}]}'
        $keySet = Get-KrJWTValidationParameter -JwksJson $jwks -Issuer $script:Iss -Audience $script:Aud
        [byte[]] $alpha = [byte[]]::new(32) | ForEach-Object { [byte]1 }
        Assert-Accepted (New-HmacToken -Header '{"alg":"HS256","kid":"alpha"}' -Key $alpha) -ValidationParameter $keySet | Out-Null
        foreach ($kid in '../../../../etc/passwd', '..\..\windows\win.ini', "' OR '1'='1", 'alpha'' --', '${jndi:ldap://127.0.0.1/a}', 'ALPHA', ' alpha', '') {
            $header = '{"alg":"HS256","kid":' + (ConvertTo-AttackJson $kid) + '}'
            Assert-Refused (New-HmacToken -Header $header -Key $alpha) 'KeyNotFound' -Hint 'no configured key has the key id' -Case "kid '$kid'" -ValidationParameter $keySet | Out-Null
        }
        foreach ($kid in '7', '{"$ne":null}', '["alpha"]') {
            Assert-Refused (New-HmacToken -Header "{`"alg`":`"HS256`",`"kid`":$kid}" -Key $alpha) 'Malformed' -Hint "'kid' must be a string" -Case "kid $kid" -ValidationParameter $keySet | Out-Null
        }
    }

    It 'attacker-controlled header values never bring line breaks or control characters into messages and challenges' {
        $jwks = '{"keys":[{"kty":"oct","kid":"alpha","k":"' + (ConvertTo-TestBase64Url ([byte[]]::new(32))) + '"}]}'
        $keySet = Get-KrJWTValidationParameter -JwksJson $jwks -Issuer $script:Iss -Audience $script:Aud
        $null = Add-KrJWTBearerAuthentication -Name 'attacks-echo' -ValidationParameter $keySet
        try {
            $problems = foreach ($value in "alpha`r`n2038-01-19 03:14:07 INFO admin logged in", "alpha`nX-Injected: 1", "alpha$([char]0)hidden", "alpha$([char]27)[2J") {
                foreach ($member in 'kid', 'alg') {
                    $header = if ($member -eq 'kid') { '{"alg":"HS256","kid":' + (ConvertTo-AttackJson $value) + '}' } else { '{"alg":' + (ConvertTo-AttackJson $value) + '}' }
                    $token = New-HmacToken -Header $header -Key ([byte[]]::new(32))
                    $report = Test-KrJWT -ValidationParameter $keySet -Token $token -Detailed
                    if ($report.IsValid) { "${member}: accepted" }
                    if ($report.Message -match '[\x00-\x1f\x7f]') { "$member $(ConvertTo-AttackJson $value): control characters in the message: $(ConvertTo-AttackJson ([string]$report.Message))" }
                    $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "Bearer $token" } } }
                    $bearer = Test-KrJWT -FromContext -Scheme 'attacks-echo' -Detailed
                    if ($bearer.StatusCode -ne 401) { "${member}: bearer status $($bearer.StatusCode)" }
                    if ($bearer.Challenge -match '[\x00-\x1f\x7f]') { "${member}: control characters in the WWW-Authenticate challenge" }
                }
            }
            $problems | Should -BeNullOrEmpty
        } finally {
            $null = [KrJwt.JwtBearerSchemes]::Remove('attacks-echo')
        }
    }

    It 'duplicate JSON members in the header or the claims are refused' {
        $exp = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() + 600
        $past = $exp - 7200
        $body = { param($members) "{`"sub`":`"mallory`",`"iss`":`"$script:Iss`",`"aud`":`"$script:Aud`",$members}" }
        foreach ($header in '{"alg":"HS256","alg":"none"}', '{"alg":"none","alg":"HS256"}', '{"alg":"HS256","\u0061lg":"none"}', '{"alg":"HS256","kid":"a","kid":"b"}') {
            Assert-Refused (New-HmacToken -Header $header -Payload (& $body "`"exp`":$exp")) 'Malformed' -Hint 'header', 'duplicate' -Case $header -Renewer $script:Renewer | Out-Null
        }
        foreach ($members in "`"exp`":$past,`"exp`":$exp", "`"exp`":$exp,`"exp`":$past", "`"exp`":$exp,`"\u0065xp`":$past", "`"exp`":$exp,`"iss`":`"https://evil.test`"", "`"exp`":$exp,`"aud`":`"other`"") {
            Assert-Refused (New-HmacToken -Header '{"alg":"HS256"}' -Payload (& $body $members)) 'Malformed' -Hint 'payload', 'duplicate' -Case $members -Renewer $script:Renewer | Out-Null
        }
        # A duplicated private claim: refused, or read as the lexically last value by every reader.
        $token = New-HmacToken -Header '{"alg":"HS256"}' -Payload (& $body "`"exp`":$exp,`"role`":`"reader`",`"role`":`"admin`"")
        $report = Test-KrJWT -ValidationParameter $script:Validation -Token $token -Detailed
        if ($report.IsValid) {
            $report.Claims['role'] | Should -BeExactly 'admin'
            (Get-KrJWTInfo -Token $token).Claims['role'] | Should -BeExactly 'admin'
        } else {
            "$($report.Reason)" | Should -Be 'Malformed'
        }
    }

    It 'headers and claims sets that are not JSON objects are refused' {
        $claims = ConvertFrom-TestJson (Get-AttackClaims)
        $problems = @(
            foreach ($header in '["HS256",null,null]', '["HS256"]', '"HS256"', 'null') {
                try { Assert-Refused (New-HmacToken -Header $header) 'Malformed' -Hint 'header' -Case "header $header" -Renewer $script:Renewer | Out-Null } catch { $_.Exception.Message }
            }
            foreach ($payload in "[$($claims.exp),0,`"$script:Iss`",`"$script:Aud`"]", '"a string"', 'null', 'not json') {
                try { Assert-Refused (New-HmacToken -Header '{"alg":"HS256"}' -Payload $payload) 'Malformed' -Hint 'payload' -Case "payload $payload" -Renewer $script:Renewer | Out-Null } catch { $_.Exception.Message }
            }
        )
        $problems | Should -BeNullOrEmpty
    }

    It 'huge tokens and deeply nested JSON are refused without crashing' {
        $mb = 'A' * 1MB
        Assert-Refused "$mb.$mb.$mb" 'TooLarge' -Hint 'bytes', 'refused' -Case '3 MB signed token' -Renewer $script:Renewer | Out-Null
        $encrypted = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -DecryptionHexadecimalKey (New-TestHexKey 32)
        Assert-Refused "$mb.$mb.$mb.$mb.$mb" 'TooLarge' -Hint 'bytes' -Case '5 MB encrypted token, with a decryption key' -ValidationParameter $encrypted | Out-Null
        $problems = @(
            try { Assert-Refused "$mb.$mb.$mb.$mb.$mb" 'TooLarge' -Hint 'bytes' -Case '5 MB encrypted token, without a decryption key' | Out-Null } catch { $_.Exception.Message }
            $claims = Get-AttackClaims
            $deep = ('[' * 200) + '1' + (']' * 200)
            foreach ($case in @(
                    @{ What = 'a claim of 200 nested arrays'; Header = '{"alg":"HS256"}'; Payload = $claims.TrimEnd('}') + ",`"deep`":$deep}" }
                    @{ What = 'a claim of ~44 KB of nested objects'; Header = '{"alg":"HS256"}'; Payload = $claims.TrimEnd('}') + ',"deep":' + ('{"a":' * 7300) + '1' + ('}' * 7300) + '}' }
                    @{ What = 'a header member of 200 nested arrays'; Header = "{`"alg`":`"HS256`",`"deep`":$deep}"; Payload = $claims })) {
                $token = New-HmacToken -Header $case.Header -Payload $case.Payload
                try { Assert-Refused $token 'Malformed' -Hint 'recursion limit' -Case $case.What | Out-Null } catch { $_.Exception.Message }
                # Inspection decodes without validating: a clear error, never a crash.
                $info = Get-KrJWTInfo -Token $token -ErrorAction SilentlyContinue -ErrorVariable infoErrors
                if ($info -or $infoErrors.Count -ne 1 -or $infoErrors[0].FullyQualifiedErrorId -notlike 'KrJwt.*') { "$($case.What): Get-KrJWTInfo should write one KrJwt error" }
            }
        )
        $problems | Should -BeNullOrEmpty
    }

    It 'non-canonical base64url (padding, + and /, trailing bits, whitespace) is refused' {
        $token = New-HmacToken
        $header, $payload, $signature = $token.Split('.')
        $alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
        $flipped = $signature.Substring(0, 42) + $alphabet[$alphabet.IndexOf($signature[42]) -bxor 1]
        Assert-EachRefused ([ordered]@{
                'signature with = padding' = "$header.$payload.$signature="
                'signature with non-zero trailing bits' = "$header.$payload.$flipped"
                'signature with a space inside' = "$header.$payload.$($signature.Insert(10, ' '))"
                'signature in percent-encoding' = "$header.$payload.$signature%3D"
            }) 'Malformed' -Hint 'signature is not valid base64url' -Renewer $script:Renewer
        Assert-Refused "$header=.$payload.$signature" 'Malformed' -Hint 'header is not valid base64url' -Case 'header with = padding' -Renewer $script:Renewer | Out-Null
        # Re-encoded payloads, validly signed as re-encoded: the signature holds, the encoding does not.
        $filler = ''
        do {
            $encoded = ConvertTo-AttackSegment (Get-AttackClaims @{ filler = $filler })
            $filler += '?'
        } until ($encoded.Contains('-') -or $encoded.Contains('_'))
        $standard = $encoded.Replace('-', '+').Replace('_', '/')
        foreach ($input in "$header.$payload=", "$header.$standard", "$header.$($payload.Insert(8, ' '))") {
            $forged = "$input.$(ConvertTo-TestBase64Url (Get-AttackMac -SigningInput $input))"
            Assert-Refused $forged 'Malformed' -Hint 'payload is not valid base64url' -Case $input -Renewer $script:Renewer | Out-Null
        }
    }

    It 'audience and issuer type confusion (arrays, numbers, objects, null) is refused' {
        Assert-Accepted (New-HmacToken -Payload (Get-AttackClaims @{ aud = @($script:Aud) })) | Out-Null
        $audiences = @(
            @{ Aud = @{ RawJson = '42' }; Hint = 'must be a string or an array of strings' }
            @{ Aud = [ordered]@{ aud = $script:Aud }; Hint = 'must be a string or an array of strings' }
            @{ Aud = @{ RawJson = "[`"$script:Aud`",1]" }; Hint = 'must be a string or an array of strings' }
            @{ Aud = @{ RawJson = "[[`"$script:Aud`"]]" }; Hint = 'must be a string or an array of strings' }
            @{ Aud = @{ RawJson = 'true' }; Hint = 'must be a string or an array of strings' }
            @{ Aud = @{ RawJson = '[]' }; Hint = 'not meant for this audience' }
            @{ Aud = $script:Aud.ToUpperInvariant(); Hint = 'not meant for this audience' }
            @{ Aud = "$script:Aud.evil.test"; Hint = 'not meant for this audience' }
            @{ Aud = @{ RawJson = 'null' }; Hint = 'no audience' }
        )
        foreach ($a in $audiences) {
            Assert-Refused (New-HmacToken -Payload (Get-AttackClaims @{ aud = $a.Aud })) 'InvalidAudience' -Hint $a.Hint -Case "aud $(ConvertTo-AttackJson $a.Aud)" -Renewer $script:Renewer | Out-Null
        }
        $issuers = @(
            @{ Iss = @{ RawJson = "[`"$script:Iss`"]" }; Hint = 'must be a string' }
            @{ Iss = [ordered]@{ iss = $script:Iss }; Hint = 'must be a string' }
            @{ Iss = @{ RawJson = '42' }; Hint = 'must be a string' }
            @{ Iss = @{ RawJson = 'null' }; Hint = 'no issuer' }
            @{ Iss = "$script:Iss/"; Hint = 'is not accepted' }
            @{ Iss = $script:Iss.ToUpperInvariant(); Hint = 'is not accepted' }
        )
        foreach ($i in $issuers) {
            Assert-Refused (New-HmacToken -Payload (Get-AttackClaims @{ iss = $i.Iss })) 'InvalidIssuer' -Hint $i.Hint -Case "iss $(ConvertTo-AttackJson $i.Iss)" -Renewer $script:Renewer | Out-Null
        }
    }

    It 'exp and nbf as strings, booleans, arrays, huge or negative numbers are refused' {
        $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        Assert-Accepted (New-HmacToken -Payload (Get-AttackClaims @{ exp = @{ RawJson = "$($now + 600).5" } })) 'exp with a fraction' | Out-Null
        foreach ($exp in "`"$($now + 600)`"", '"NaN"', '"Infinity"', 'true', "[$($now + 600)]", '{"$date":9999999999}') {
            Assert-Refused (New-HmacToken -Payload (Get-AttackClaims @{ exp = @{ RawJson = $exp } })) 'InvalidClaim' -Hint 'must be a number of seconds (NumericDate)' -Case "exp $exp" -Renewer $script:Renewer | Out-Null
        }
        foreach ($nbf in '"0"', 'false', '[]') {
            Assert-Refused (New-HmacToken -Payload (Get-AttackClaims @{ nbf = @{ RawJson = $nbf } })) 'InvalidClaim' -Hint "'nbf' claim" -Case "nbf $nbf" -Renewer $script:Renewer | Out-Null
        }
        foreach ($exp in '1e400', '-1e400') {
            Assert-Refused (New-HmacToken -Payload (Get-AttackClaims @{ exp = @{ RawJson = $exp } })) 'Malformed' -Hint 'out of range' -Case "exp $exp" -Renewer $script:Renewer | Out-Null
        }
        foreach ($exp in '-1', '0', '-1e308') {
            Assert-Refused (New-HmacToken -Payload (Get-AttackClaims @{ exp = @{ RawJson = $exp } })) 'Expired' -Hint 'expired at' -Case "exp $exp" -Renewer $script:Renewer | Out-Null
        }
        Assert-Refused (New-HmacToken -Payload (Get-AttackClaims @{ nbf = @{ RawJson = '1e308' } })) 'NotYetValid' -Hint 'not valid before' -Case 'nbf 1e308' -Renewer $script:Renewer | Out-Null
        Assert-Refused (New-HmacToken -Payload (Get-AttackClaims @{ exp = @{ RawJson = 'null' } })) 'MissingExpiration' -Hint 'no expiration time' -Case 'exp null' -Renewer $script:Renewer | Out-Null
    }

    It 'tampered encrypted tokens (header swap, IV or tag truncation, swapped parts) are refused alike' {
        $encryptionHex = New-TestHexKey 32
        $validation = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -Issuer $script:Iss -Audience $script:Aud -DecryptionHexadecimalKey $encryptionHex
        $gcm = New-KrToken { $args[0] | Protect-KrJWT -HexadecimalKey $script:HexKey | Protect-KrJWTPayload -HexadecimalKey $encryptionHex -KeyAlg 'A256KW' -EncAlg 'A256GCM' }
        $cbc = New-KrToken { $args[0] | Protect-KrJWT -HexadecimalKey $script:HexKey | Protect-KrJWTPayload -HexadecimalKey $encryptionHex -KeyAlg 'A256KW' -EncAlg 'A128CBC-HS256' }
        $other = New-KrToken { $args[0] | Protect-KrJWT -HexadecimalKey $script:HexKey | Protect-KrJWTPayload -HexadecimalKey $encryptionHex -KeyAlg 'A256KW' -EncAlg 'A256GCM' }
        foreach ($t in $gcm, $cbc, $other) { Assert-Accepted $t -ValidationParameter $validation | Out-Null }
        $swap = { param($index, $from) $parts = $gcm.Split('.'); $parts[$index] = $from.Split('.')[$index]; $parts -join '.' }
        $cases = [ordered]@{
            'the header of a token with another enc' = & $swap 0 $cbc
            'the encrypted key of another token' = & $swap 1 $other
            'the IV of another token' = & $swap 2 $other
            'the ciphertext of another token' = & $swap 3 $other
            'the tag of another token' = & $swap 4 $other
            'a header member added' = Edit-AttackHeader $gcm { param($h) $h.kid = 'k2' }
            'the IV cut by a byte' = Edit-AttackSegment $gcm 2 { param($b) , [byte[]]$b[0..10] }
            'the IV emptied' = Edit-AttackSegment $gcm 2 { , [byte[]]::new(0) }
            'the tag cut by a byte' = Edit-AttackSegment $gcm 4 { param($b) , [byte[]]$b[0..14] }
            'the tag cut to 8 bytes' = Edit-AttackSegment $gcm 4 { param($b) , [byte[]]$b[0..7] }
            'the tag emptied' = Edit-AttackSegment $gcm 4 { , [byte[]]::new(0) }
        }
        $messages = foreach ($what in $cases.Keys) {
            (Assert-Refused $cases[$what] 'DecryptionFailed' -Case $what -ValidationParameter $validation).Message
        }
        [System.Collections.Generic.HashSet[string]]::new([string[]]$messages).Count | Should -Be 1 -Because 'every alteration gets the same answer'
    }

    It 'nested-token confusion (content not announced as a JWT, unsigned or foreign JWS inside) is refused' {
        $encryptionHex = New-TestHexKey 32
        $key = [Convert]::FromHexString($encryptionHex)
        $validation = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -Issuer $script:Iss -Audience $script:Aud -DecryptionHexadecimalKey $encryptionHex
        $ascii = { param($text) , [System.Text.Encoding]::ASCII.GetBytes($text) }
        Assert-Accepted (New-DirJwe -Key $key -Plaintext (& $ascii (New-HmacToken))) -ValidationParameter $validation | Out-Null
        foreach ($header in '{"alg":"dir","enc":"A256GCM"}', '{"alg":"dir","enc":"A256GCM","cty":"json"}') {
            Assert-Refused (New-DirJwe -Key $key -Header $header -Plaintext (& $ascii (New-HmacToken))) 'Malformed' -Hint 'does not hold a JWT', 'cty' -Case $header -ValidationParameter $validation | Out-Null
        }
        Assert-Refused (New-DirJwe -Key $key -Plaintext (& $ascii '{"sub":"mallory"}')) 'Malformed' -Hint 'not a compact JWS' -Case 'claims inside, unsigned' -ValidationParameter $validation | Out-Null
        $none = (ConvertTo-AttackSegment '{"alg":"none"}') + '.' + (ConvertTo-AttackSegment (Get-AttackClaims)) + '.'
        Assert-Refused (New-DirJwe -Key $key -Plaintext (& $ascii $none)) 'AlgorithmNotAllowed' -Hint 'unsigned' -Case 'alg none inside' -ValidationParameter $validation | Out-Null
        $foreign = New-KrToken { $args[0] | Protect-KrJWT -HexadecimalKey (New-TestHexKey 32) | Protect-KrJWTPayload -HexadecimalKey $encryptionHex }
        Assert-Refused $foreign 'InvalidSignature' -Hint 'signature does not match' -Case 'JWS by another key inside' -ValidationParameter $validation | Out-Null
        $double = New-DirJwe -Key $key -Plaintext (& $ascii (New-DirJwe -Key $key -Plaintext (& $ascii (New-HmacToken))))
        Assert-Refused $double 'Malformed' -Hint 'not a compact JWS' -Case 'JWE inside a JWE' -ValidationParameter $validation | Out-Null
    }

    # ---- Issue 13: hardening, round two ---------------------------------------------------------------

    It 'NUL characters: a token with a NUL is never valid or renewed, and text with a NUL is refused, not cut' {
        $token = New-KrToken { param($b) $b | Protect-KrJWT -HexadecimalKey $script:HexKey }
        Assert-Accepted $token 'control' | Out-Null
        $withNul = $token + "`0anything"
        Assert-Refused -Token $withNul -Reason Malformed -Case 'token, NUL, more' -Renewer $script:Renewer | Out-Null
        # The size limit sees the whole input: what follows a NUL still counts.
        Assert-Refused -Token ($token + "`0" + ('A' * 70000)) -Reason TooLarge -Case 'NUL and 70,000 characters' | Out-Null
        $info = @(Get-KrJWTInfo -Token $withNul -ErrorAction SilentlyContinue -ErrorVariable infoErrors)
        $info.Count | Should -Be 0
        $infoErrors[0].FullyQualifiedErrorId | Should -BeLike 'KrJwt.InvalidToken*'
        # Strings other than tokens: refused with the argument named, never written cut short.
        $b = New-TestBuilder
        { $b | Add-KrJWTSubject -Subject "alice`0admin" } | Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*subject contains a NUL character (U+0000)*'
        { $b | Add-KrJWTIssuer -Issuer "https://issuer`0.evil" } | Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*issuer contains a NUL*'
        { $b | Add-KrJWTClaim -ClaimType "role`0x" -Value 'admin' } | Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*claim type contains a NUL*'
        { $b | Add-KrJWTClaim -ClaimType 'role' -Value "user`0admin" } | Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*claim value contains a NUL*'
        $b.Subject | Should -BeNullOrEmpty -Because 'nothing was written'
        @($b.Claims).Count | Should -Be 0
    }

    It 'times outside DateTime range: Get-KrJWTInfo shows the raw numbers and the pipeline goes on' {
        $tokens = foreach ($exp in @{ RawJson = '1e30' }, 253402300800, @{ RawJson = '-1e20' }) {
            New-HmacToken -Payload (Get-AttackClaims @{ exp = $exp; nbf = $exp; iat = $exp })
        }
        $infos = @($tokens + (New-HmacToken) | Get-KrJWTInfo)
        $infos.Count | Should -Be 4
        $infos[0].Expires | Should -BeNullOrEmpty
        $infos[0].ExpiresUnixTime | Should -Be 1e30
        $infos[0].NotBeforeUnixTime | Should -Be 1e30
        $infos[0].IssuedAtUnixTime | Should -Be 1e30
        $infos[0].ToString() | Should -BeLike '*exp=1E+30*'
        $infos[1].ExpiresUnixTime | Should -Be 253402300800
        $infos[1].Expires | Should -BeNullOrEmpty -Because '253402300800 is 10000-01-01T00:00:00Z'
        $infos[2].ExpiresUnixTime | Should -Be (-1e20)
        $infos[3].Expires | Should -BeOfType [datetime]
        $infos[3].ExpiresUnixTime | Should -Be ([DateTimeOffset]::new($infos[3].Expires).ToUnixTimeSeconds())
    }

    It 'the builder never issues what its own validator refuses: past year 9999, JSON too deep, tokens too large' {
        $b = New-TestBuilder | Limit-KrJWTNotBefore -UtcBefore ([datetime]::new(9999, 12, 31, 23, 0, 0, [DateTimeKind]::Utc)) | Limit-KrJWTValidity -Hours 2
        { $b | Build-KrJWT } | Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*past 9999-12-31T23:59:59Z*'
        $deep = ('[' * 70) + '1' + (']' * 70)
        { New-TestBuilder | Add-KrJWTClaim -ClaimType 'deep' -JsonValue $deep | Build-KrJWT } | Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*deeper than 64 levels*'
        { New-TestBuilder | Add-KrJWTClaim -ClaimType 'blob' -Value ('x' * 50000) | Build-KrJWT } | Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*above the 65536 bytes validation accepts*'
        $fits = New-TestBuilder | Add-KrJWTClaim -ClaimType 'deep' -JsonValue (('[' * 63) + '1' + (']' * 63)) | Build-KrJWT
        Test-KrJWT -Result $fits -Token $fits.Token | Should -BeTrue
    }

    It 'degenerate keys are refused by every cmdlet that imports them: RSA e = 1, small-order Ed25519, ROCA-free control' {
        $n = ConvertTo-TestBase64Url $script:Rsa.ExportParameters($false).Modulus
        $weak = "{`"kty`":`"RSA`",`"n`":`"$n`",`"e`":`"AQ`"}"
        { Get-KrJWTValidationParameter -JwkJson $weak } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*e = 1 is below 3*'
        { Get-KrJWTValidationParameter -JwksJson "{`"keys`":[$weak]}" } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*Key 0 of the JWK Set*e = 1*'
        { Add-KrJWTBearerAuthentication -Name 'attacks-weak' -SigningKeyJwkJson $weak } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*'
        $identity = '{"kty":"OKP","crv":"Ed25519","x":"' + (ConvertTo-TestBase64Url ([byte[]](@(1) + @(0) * 31))) + '"}'
        { Get-KrJWTValidationParameter -JwkJson $identity } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*small order*'
        $zero = '{"kty":"OKP","crv":"X25519","x":"' + (ConvertTo-TestBase64Url ([byte[]]::new(32))) + '"}'
        { New-TestBuilder | Protect-KrJWT -HexadecimalKey $script:HexKey | Protect-KrJWTPayload -JwkJson $zero } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*small order*'
        Get-KrJWTValidationParameter -Pem $script:RsaPublicPem | Should -Not -BeNullOrEmpty -Because 'an ordinary key is accepted'
    }

    It 'JWK rules: key_ops honoured like use, duplicate members refused, JWK Sets with one kid twice or secrets beside public keys refused' {
        $k = ConvertTo-TestBase64Url $script:Secret
        { New-TestBuilder | Protect-KrJWT -JwkJson "{`"kty`":`"oct`",`"k`":`"$k`",`"key_ops`":[`"verify`"]}" } |
            Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*"key_ops" member (verify) does not allow signing*'
        Get-KrJWTValidationParameter -JwkJson "{`"kty`":`"oct`",`"k`":`"$k`",`"key_ops`":[`"verify`"]}" | Should -Not -BeNullOrEmpty
        { New-TestBuilder | Protect-KrJWT -JwkJson "{`"kty`":`"oct`",`"k`":`"$k`",`"k`":`"AAAA`"}" } | Should -Throw -ErrorId 'KrJwt.InvalidJson,*' -ExpectedMessage "*'k' appears twice*"
        $ec = New-TestEcKey -Curve 'P-256'
        $q = $ec.ExportParameters($false).Q
        $public = "{`"kty`":`"EC`",`"crv`":`"P-256`",`"x`":`"$(ConvertTo-TestBase64Url $q.X)`",`"y`":`"$(ConvertTo-TestBase64Url $q.Y)`",`"kid`":`"k1`"}"
        $ed = Get-KrJwk -Pem (New-TestOkpPem -Curve Ed25519)
        $edPublic = "{`"kty`":`"OKP`",`"crv`":`"Ed25519`",`"x`":`"$($ed['x'])`",`"kid`":`"k1`"}"
        { Get-KrJWTValidationParameter -JwksJson "{`"keys`":[$public,$edPublic]}" } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage "*two verification keys with the kid 'k1'*"
        { Get-KrJWTValidationParameter -JwksJson "{`"keys`":[$public,{`"kty`":`"oct`",`"k`":`"$k`"}]}" } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*mixes shared secrets*'
        { Get-KrJWTValidationParameter -JwksJson "{`"keys`":[{`"kty`":`"oct`",`"k`":`"$k`",`"k`":`"AA`"}]}" } | Should -Throw -ErrorId 'KrJwt.InvalidJson,*' -ExpectedMessage '*appears twice*'
    }

    It 'a dir JWK naming its content encryption as alg (RFC 7520 section 5.6) works for that encryption' {
        $cookbook = '{"kty":"oct","kid":"77c7e2b8-6e13-45cf-8672-617b5b45243a","use":"enc","alg":"A128GCM","k":"XctOhJAkA-pD9Lh7ZgW_2A"}'
        $sealed = New-TestBuilder | Protect-KrJWT -HexadecimalKey $script:HexKey | Protect-KrJWTPayload -JwkJson $cookbook | Build-KrJWT
        $sealed.OuterHeader['alg'] | Should -Be 'dir'
        $sealed.OuterHeader['enc'] | Should -Be 'A128GCM'
        $vp = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -Issuer 'TestIssuer' -DecryptionJwkJson $cookbook
        Test-KrJWT -ValidationParameter $vp -Token $sealed.Token | Should -BeTrue
        { New-TestBuilder | Protect-KrJWT -HexadecimalKey $script:HexKey | Protect-KrJWTPayload -JwkJson $cookbook -EncAlg A256GCM } |
            Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*restricted to direct encryption with A128GCM*'
    }

    It 'PBES2 iterations are capped at 10,000 unless the validation parameters raise the cap (-MaxPbes2Count)' {
        $password = ConvertTo-SecureString 'correct horse battery staple, twice over' -AsPlainText -Force
        $sealed = New-TestBuilder | Protect-KrJWT -HexadecimalKey $script:HexKey | Protect-KrJWTPayload -Passphrase $password -KeyAlg 'PBES2-HS256+A128KW' | Build-KrJWT
        $sealed.OuterHeader['p2c'] | Should -Be 10000
        $default = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -Issuer 'TestIssuer' -DecryptionPassphrase $password -DecryptionKeyAlg 'PBES2-HS256+A128KW'
        $default.MaxPbes2Count | Should -Be 10000
        Test-KrJWT -ValidationParameter $default -Token $sealed.Token | Should -BeTrue
        $costly = Edit-AttackHeader $sealed.Token { param($h) $h['p2c'] = 100000 }
        Assert-Refused -Token $costly -Reason Malformed -Hint 'p2c', '1000 to 10000 ', 'MaxPbes2Count' -ValidationParameter $default | Out-Null
        $raised = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -Issuer 'TestIssuer' -DecryptionPassphrase $password -DecryptionKeyAlg 'PBES2-HS256+A128KW' -MaxPbes2Count 100000
        $raised.MaxPbes2Count | Should -Be 100000
        # Accepted as a count: the work is done, and the altered header then fails its tag.
        Assert-Refused -Token $costly -Reason DecryptionFailed -ValidationParameter $raised | Out-Null
        { Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -DecryptionPassphrase $password -DecryptionKeyAlg 'PBES2-HS256+A128KW' -MaxPbes2Count 999 } |
            Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*1000 to 10000000*'
    }

    It '-RequireEncryption refuses a plain JWS; iat must be a number' {
        $secret = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32)
        $vp = Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -Issuer $script:Iss -Audience $script:Aud -DecryptionKeyBytes $secret -RequireEncryption
        $vp.RequireEncryption | Should -BeTrue
        $jws = New-HmacToken
        Assert-Refused -Token $jws -Reason AlgorithmNotAllowed -Hint 'not encrypted', 'require encrypted tokens' -ValidationParameter $vp | Out-Null
        Assert-Accepted -Token (New-DirJwe -Key $secret -Plaintext ([System.Text.Encoding]::ASCII.GetBytes($jws))) -ValidationParameter $vp | Out-Null
        { Get-KrJWTValidationParameter -HexadecimalKey $script:HexKey -RequireEncryption } | Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*needs a decryption key*'
        foreach ($iat in 'yesterday', $true, @(1)) {
            Assert-Refused -Token (New-HmacToken -Payload (Get-AttackClaims @{ iat = $iat })) -Reason InvalidClaim -Hint "'iat'" -Case "iat $iat" | Out-Null
        }
    }

    It 'messages tell the truth: five parts that are no JWE are Malformed; hex keys take hex digits only; short HMAC keys get no imaginary algorithm' {
        $token = New-HmacToken
        foreach ($text in 'a.b.c.d.e', "$token $token", "$token.x.y") {
            $report = Assert-Refused -Token $text -Reason Malformed -Case $text.Substring(0, [Math]::Min(12, $text.Length))
            $report.Message | Should -Not -BeLike '*no decryption key*'
        }
        { New-TestBuilder | Protect-KrJWT -HexadecimalKey ('+f' * 32) } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*not a hex digit*'
        { New-TestBuilder | Protect-KrJWT -HexadecimalKey "0x$($script:HexKey)" } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*0x prefix*'
        { New-TestBuilder | Protect-KrJWT -HexadecimalKey (($script:HexKey -split '(..)' | Where-Object { $_ }) -join ':') } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*separators*'
        $short = { New-TestBuilder | Protect-KrJWT -KeyBytes ([byte[]]::new(20) + 7) -Algorithm HS256 }
        $short | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*at least 32 bytes*'
        try { & $short } catch { $_.Exception.Message | Should -Not -BeLike '*weaker*' }
    }
}
