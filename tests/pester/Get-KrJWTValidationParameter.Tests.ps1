# Get-KrJWTValidationParameter: the Result set (snapshot) and the key sets for tokens issued elsewhere:
# public keys (PEM, JWK, certificate), secrets, JWK Sets with kid selection and key rotation; -Issuer,
# -Audience, -Algorithm, -ClockSkew; errors.

Describe 'Get-KrJWTValidationParameter' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'KeyHelpers.ps1'))

        $script:RsaA = [System.Security.Cryptography.RSA]::Create(2048)
        $script:RsaB = [System.Security.Cryptography.RSA]::Create(2048)
        $script:Ec = New-TestEcKey 'P-256'
        $script:TempFiles = [System.Collections.Generic.List[string]]::new()

        # A token from an "identity provider" signed with the given PEM.
        function New-ForeignToken([string] $Pem, [string] $Algorithm = 'Auto', [string] $Issuer = 'https://idp.example', [string] $Audience = 'api://orders') {
            (New-KrJWTBuilder | Add-KrJWTIssuer -Issuer $Issuer | Add-KrJWTAudience -Audience $Audience |
                Add-KrJWTSubject -Subject 'svc' | Protect-KrJWT -Pem $Pem -Algorithm $Algorithm | Build-KrJWT).Token
        }

        function New-KeyFile([string] $Text, [string] $Extension) {
            $path = New-TestTempFile -Text $Text -Extension $Extension
            $script:TempFiles.Add($path)
            $path
        }
    }

    AfterAll {
        foreach ($file in $script:TempFiles) { [System.IO.File]::Delete($file) }
    }

    It 'keeps Result as its default, pipeline-bound parameter set' {
        $command = Get-Command Get-KrJWTValidationParameter
        $command.DefaultParameterSet | Should -Be 'Result'
        $result = New-TestBuilder | Build-KrJWT
        $vp = $result | Get-KrJWTValidationParameter
        $vp | Should -BeOfType ([KrJwt.JwtValidationParameters])
        $vp.ClockSkew | Should -Be ([TimeSpan]::FromMinutes(1))
        Test-KrJWT -ValidationParameter $vp -Token $result.Token | Should -BeTrue
    }

    It 'takes -<Parameter> (formerly the parameter set <Set>) in its Key set' -TestCases @(
        @{ Set = 'JwkJson'; Parameter = 'JwkJson' }, @{ Set = 'JwkPath'; Parameter = 'JwkPath' }, @{ Set = 'JwksJson'; Parameter = 'JwksJson' },
        @{ Set = 'JwksPath'; Parameter = 'JwksPath' }, @{ Set = 'PemPath'; Parameter = 'PemPath' }, @{ Set = 'Pem'; Parameter = 'Pem' },
        @{ Set = 'Certificate'; Parameter = 'X509Certificate' }, @{ Set = 'Base64Url'; Parameter = 'Base64Url' },
        @{ Set = 'HexadecimalKey'; Parameter = 'HexadecimalKey' }, @{ Set = 'Bytes'; Parameter = 'KeyBytes' }
    ) {
        param($Set, $Parameter)
        @((Get-Command Get-KrJWTValidationParameter).Parameters[$Parameter].ParameterSets.Keys) | Should -Be @('Key')
    }

    It 'is a snapshot: later builder changes do not alter it' {
        $builder = New-TestBuilder -Issuer 'first'
        $vp = $builder | Build-KrJWT | Get-KrJWTValidationParameter
        $null = $builder | Add-KrJWTIssuer -Issuer 'second'
        $vp.Issuers | Should -Be @('first')
        Test-KrJWT -ValidationParameter $vp -Token ($builder | Build-KrJWT).Token | Should -BeFalse
    }

    It 'validates with a public key given as <Source>' -TestCases @(
        @{ Source = 'Pem' }, @{ Source = 'PemPath' }, @{ Source = 'JwkJson' }, @{ Source = 'JwkPath' }, @{ Source = 'Certificate' }
    ) {
        param($Source)
        $token = New-ForeignToken $script:RsaA.ExportPkcs8PrivateKeyPem()
        $public = $script:RsaA.ExportSubjectPublicKeyInfoPem()
        $common = @{ Issuer = 'https://idp.example'; Audience = 'api://orders' }
        $vp = switch ($Source) {
            'Pem' { Get-KrJWTValidationParameter -Pem $public @common }
            'PemPath' { Get-KrJWTValidationParameter -PemPath (New-KeyFile $public '.pem') @common }
            'JwkJson' { Get-KrJWTValidationParameter -JwkJson (ConvertTo-TestRsaJwk $script:RsaA) @common }
            'JwkPath' { Get-KrJWTValidationParameter -JwkPath (New-KeyFile (ConvertTo-TestRsaJwk $script:RsaA) '.json') @common }
            'Certificate' { Get-KrJWTValidationParameter -X509Certificate (Get-TestPublicCertificate (New-TestCertificate $script:RsaA)) @common }
        }
        $vp.Algorithms | Should -Be @('RS256')
        $vp.RequireSignedTokens | Should -BeTrue
        Test-KrJWT -ValidationParameter $vp -Token $token | Should -BeTrue
        # Another key's token is refused.
        (Test-KrJWT -ValidationParameter $vp -Token (New-ForeignToken $script:RsaB.ExportPkcs8PrivateKeyPem()) -Detailed).IsValid | Should -BeFalse
    }

    It 'validates tokens signed with a secret given as <Source>' -TestCases @(
        @{ Source = 'Base64Url' }, @{ Source = 'HexadecimalKey' }, @{ Source = 'KeyBytes' }, @{ Source = 'Passphrase' }
    ) {
        param($Source)
        $bytes = [System.Text.Encoding]::UTF8.GetBytes('a shared secret of more than 32 bytes')
        $token = (New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'svc' | Protect-KrJWT -KeyBytes $bytes | Build-KrJWT).Token
        $vp = switch ($Source) {
            'Base64Url' { Get-KrJWTValidationParameter -Base64Url (ConvertTo-TestBase64Url $bytes) -Issuer 'svc' }
            'HexadecimalKey' { Get-KrJWTValidationParameter -HexadecimalKey ([Convert]::ToHexString($bytes)) -Issuer 'svc' }
            'KeyBytes' { Get-KrJWTValidationParameter -KeyBytes $bytes -Issuer 'svc' }
            'Passphrase' { Get-KrJWTValidationParameter -Passphrase (ConvertTo-SecureString 'a shared secret of more than 32 bytes' -AsPlainText -Force) -Issuer 'svc' }
        }
        Test-KrJWT -ValidationParameter $vp -Token $token | Should -BeTrue
    }

    It 'checks the issuer and the audience against the accepted lists' {
        $token = New-ForeignToken $script:Ec.ExportECPrivateKeyPem()
        $public = $script:Ec.ExportSubjectPublicKeyInfoPem()
        $ok = Get-KrJWTValidationParameter -Pem $public -Issuer 'other', 'https://idp.example' -Audience 'api://orders', 'api://billing'
        Test-KrJWT -ValidationParameter $ok -Token $token | Should -BeTrue
        $ok.Issuers | Should -HaveCount 2
        $badIssuer = Get-KrJWTValidationParameter -Pem $public -Issuer 'https://evil.example'
        (Test-KrJWT -ValidationParameter $badIssuer -Token $token -Detailed).Reason.ToString() | Should -Be 'InvalidIssuer'
        $badAudience = Get-KrJWTValidationParameter -Pem $public -Audience 'api://billing'
        (Test-KrJWT -ValidationParameter $badAudience -Token $token -Detailed).Reason.ToString() | Should -Be 'InvalidAudience'
        # Neither is checked when not given.
        $any = Get-KrJWTValidationParameter -Pem $public
        $any.ValidateIssuer | Should -BeFalse
        $any.ValidateAudience | Should -BeFalse
        Test-KrJWT -ValidationParameter $any -Token $token | Should -BeTrue
    }

    It 'pins the algorithm: the key''s own by default, the listed ones with -Algorithm' {
        $pem = $script:RsaA.ExportPkcs8PrivateKeyPem()
        $ps256 = New-ForeignToken $pem -Algorithm PS256
        $public = $script:RsaA.ExportSubjectPublicKeyInfoPem()
        $default = Get-KrJWTValidationParameter -Pem $public
        (Test-KrJWT -ValidationParameter $default -Token $ps256 -Detailed).Reason.ToString() | Should -Be 'AlgorithmNotAllowed'
        $both = Get-KrJWTValidationParameter -Pem $public -Algorithm RS256, PS256
        Test-KrJWT -ValidationParameter $both -Token $ps256 | Should -BeTrue
        Test-KrJWT -ValidationParameter $both -Token (New-ForeignToken $pem -Algorithm RS256) | Should -BeTrue
        (Test-KrJWT -ValidationParameter $both -Token (New-ForeignToken $pem -Algorithm RS512) -Detailed).Reason.ToString() | Should -Be 'AlgorithmNotAllowed'
    }

    It 'takes -ClockSkew' {
        (Get-KrJWTValidationParameter -Pem $script:Ec.ExportSubjectPublicKeyInfoPem() -ClockSkew ([TimeSpan]::FromSeconds(5))).ClockSkew |
            Should -Be ([TimeSpan]::FromSeconds(5))
        (Get-KrJWTValidationParameter -Pem $script:Ec.ExportSubjectPublicKeyInfoPem()).ClockSkew | Should -Be ([TimeSpan]::FromMinutes(1))
    }

    It 'selects the key of a JWK Set by kid (two keys)' {
        $jwks = '{"keys":[' + (ConvertTo-TestRsaJwk $script:RsaA -Kid 'key-a') + ',' + (ConvertTo-TestRsaJwk $script:RsaB -Kid 'key-b') + ']}'
        $vp = Get-KrJWTValidationParameter -JwksJson $jwks -Issuer 'https://idp.example'
        $vp.KeyIds | Should -Be @('key-a', 'key-b')
        # Tokens name the kid of the key that signed them (a JWK's own kid).
        $signedA = (New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'https://idp.example' |
                Protect-KrJWT -JwkJson (ConvertTo-TestRsaJwk $script:RsaA -Private -Kid 'key-a') | Build-KrJWT).Token
        $signedB = (New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'https://idp.example' |
                Protect-KrJWT -JwkJson (ConvertTo-TestRsaJwk $script:RsaB -Private -Kid 'key-b') | Build-KrJWT).Token
        (Get-TestTokenHeader $signedA)['kid'] | Should -Be 'key-a'
        Test-KrJWT -ValidationParameter $vp -Token $signedA | Should -BeTrue
        Test-KrJWT -ValidationParameter $vp -Token $signedB | Should -BeTrue
        # A kid the set does not hold (even for a key it holds under another kid: selection is by kid).
        $unknown = (New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'https://idp.example' |
                Protect-KrJWT -JwkJson (ConvertTo-TestRsaJwk $script:RsaA -Private -Kid 'key-c') | Build-KrJWT).Token
        (Test-KrJWT -ValidationParameter $vp -Token $unknown -Detailed).Reason.ToString() | Should -Be 'KeyNotFound'
    }

    It 'accepts old and new keys during a rotation (JWKS from New-KrJwks, read from a file)' {
        $old = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'me' | Protect-KrJWT -Pem $script:RsaA.ExportPkcs8PrivateKeyPem()
        $new = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'me' | Protect-KrJWT -Pem $script:RsaB.ExportPkcs8PrivateKeyPem()
        $oldToken = ($old | Build-KrJWT).Token
        $newToken = ($new | Build-KrJWT).Token
        $before = Get-KrJWTValidationParameter -JwksJson ($old | New-KrJwks) -Issuer 'me'
        Test-KrJWT -ValidationParameter $before -Token $oldToken | Should -BeTrue
        # (With a single key the library does not select by kid, so the reason is InvalidSignature.)
        (Test-KrJWT -ValidationParameter $before -Token $newToken -Detailed).IsValid | Should -BeFalse
        $path = New-KeyFile (New-KrJwks $old, $new) '.json'
        $during = Get-KrJWTValidationParameter -JwksPath $path -Issuer 'me'
        Test-KrJWT -ValidationParameter $during -Token $oldToken | Should -BeTrue
        Test-KrJWT -ValidationParameter $during -Token $newToken | Should -BeTrue
        $after = Get-KrJWTValidationParameter -JwksJson ($new | New-KrJwks) -Issuer 'me'
        (Test-KrJWT -ValidationParameter $after -Token $oldToken -Detailed).IsValid | Should -BeFalse
        Test-KrJWT -ValidationParameter $after -Token $newToken | Should -BeTrue
    }

    It 'refuses a token whose algorithm no key of the set is pinned to (AlgorithmNotAllowed before kid lookup)' {
        $vp = Get-KrJWTValidationParameter -JwksJson ('{"keys":[' + (ConvertTo-TestRsaJwk $script:RsaA -Kid 'key-a') + ']}')
        $es256 = (New-KrJWTBuilder | Protect-KrJWT -JwkJson (ConvertTo-TestEcJwk $script:Ec -Private -Kid 'key-a') | Build-KrJWT).Token
        (Test-KrJWT -ValidationParameter $vp -Token $es256 -Detailed).Reason.ToString() | Should -Be 'AlgorithmNotAllowed'
    }

    It 'never accepts alg none, whatever the key source' {
        $token = New-ForeignToken $script:RsaA.ExportPkcs8PrivateKeyPem()
        $none = Set-TestTokenSegment -Token $token -Index 0 -Json '{"alg":"none","typ":"JWT"}' -DropSignature
        $vp = Get-KrJWTValidationParameter -Pem $script:RsaA.ExportSubjectPublicKeyInfoPem()
        (Test-KrJWT -ValidationParameter $vp -Token $none -Detailed).Reason.ToString() | Should -Be 'AlgorithmNotAllowed'
    }

    It 'refuses a JWK Set that is not JSON (KrJwt.InvalidJson)' {
        { Get-KrJWTValidationParameter -JwksJson '{"keys":[' } | Should -Throw -ErrorId 'KrJwt.InvalidJson,*'
        { Get-KrJWTValidationParameter -JwksJson '{"keys":5}' } | Should -Throw -ErrorId 'KrJwt.InvalidJson,*' -ExpectedMessage '*keys*'
    }

    It 'refuses a JWK Set without verification keys' {
        $enc = (ConvertTo-TestRsaJwk $script:RsaA).TrimEnd('}') + ',"use":"enc"}'
        { Get-KrJWTValidationParameter -JwksJson "{`"keys`":[$enc]}" } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*'
    }

    It 'refuses algorithms the key cannot verify, and Auto as a restriction' {
        { Get-KrJWTValidationParameter -Pem $script:RsaA.ExportSubjectPublicKeyInfoPem() -Algorithm ES256 } |
            Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*ES256*'
        { Get-KrJWTValidationParameter -Pem $script:RsaA.ExportSubjectPublicKeyInfoPem() -Algorithm Auto } |
            Should -Throw -ErrorId 'KrJwt.InvalidArgument,*'
    }

    It 'refuses a missing key file with KrJwt.Io' {
        { Get-KrJWTValidationParameter -PemPath 'no-such-dir/public.pem' } | Should -Throw -ErrorId 'KrJwt.Io,*'
        { Get-KrJWTValidationParameter -JwksPath 'no-such-dir/jwks.json' } | Should -Throw -ErrorId 'KrJwt.Io,*' -ExpectedMessage '*JWK Set*'
    }

    It 'refuses a public key for decryption' {
        { Get-KrJWTValidationParameter -HexadecimalKey (New-TestHexKey 32) -DecryptionPem $script:RsaA.ExportSubjectPublicKeyInfoPem() } |
            Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*private*'
    }

    It 'completes -Algorithm with the JWS names' {
        $attribute = (Get-Command Get-KrJWTValidationParameter).Parameters['Algorithm'].Attributes |
            Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }
        $completer = [Activator]::CreateInstance($attribute.Type)
        @($completer.CompleteArgument('Get-KrJWTValidationParameter', 'Algorithm', 'ES', $null, @{}) | ForEach-Object CompletionText) |
            Should -Be @('ES256', 'ES384', 'ES512')
    }
}
