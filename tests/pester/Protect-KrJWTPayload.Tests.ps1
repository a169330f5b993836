# Protect-KrJWTPayload: nested JWTs (signed JWS inside a compact JWE) for every key management x content
# encryption pair a key type allows, decrypted and validated by Test-KrJWT (from the result for secrets,
# with Get-KrJWTValidationParameter -Decryption* for private keys), defaults, names, errors.

# Test cases are plain data made at discovery; the keys are made in BeforeAll.
$script:EncAlgs = @('A128GCM', 'A192GCM', 'A256GCM', 'A128CBC-HS256', 'A192CBC-HS384', 'A256CBC-HS512')
$script:EncKeyBytes = @{ 'A128GCM' = 16; 'A192GCM' = 24; 'A256GCM' = 32; 'A128CBC-HS256' = 32; 'A192CBC-HS384' = 48; 'A256CBC-HS512' = 64 }

$script:SecretCases = @(
    foreach ($enc in $script:EncAlgs) { @{ KeyAlg = 'dir'; EncAlg = $enc; Bytes = $script:EncKeyBytes[$enc] } }
    foreach ($size in 128, 192, 256) {
        foreach ($enc in $script:EncAlgs) {
            @{ KeyAlg = "A${size}KW"; EncAlg = $enc; Bytes = $size / 8 }
            @{ KeyAlg = "A${size}GCMKW"; EncAlg = $enc; Bytes = $size / 8 }
        }
    }
)
# PBES2 derives its key with 600,000 iterations by design: one run per variant keeps the suite fast.
$script:Pbes2Cases = @(
    @{ KeyAlg = 'PBES2-HS256+A128KW'; EncAlg = 'A128GCM' },
    @{ KeyAlg = 'PBES2-HS384+A192KW'; EncAlg = 'A192CBC-HS384' },
    @{ KeyAlg = 'PBES2-HS512+A256KW'; EncAlg = 'A256GCM' }
)
$script:RsaSources = @('Pem', 'PemPath', 'Certificate', 'JwkJson')
$script:RsaCases = @(
    $i = 0
    foreach ($alg in 'RSA-OAEP', 'RSA-OAEP-256', 'RSA-OAEP-384', 'RSA-OAEP-512', 'RSA1_5') {
        foreach ($enc in $script:EncAlgs) {
            @{ KeyAlg = $alg; EncAlg = $enc; Source = $script:RsaSources[$i % 4] }
            $i++
        }
    }
)
# Every pair for P-256 and X25519; every key management algorithm for P-384 and P-521 (rotating the
# content encryption), as the curve only changes the key agreement.
$script:EcCases = @(
    $i = 0
    foreach ($curve in 'P-256', 'P-384', 'P-521', 'X25519') {
        foreach ($alg in 'ECDH-ES', 'ECDH-ES+A128KW', 'ECDH-ES+A192KW', 'ECDH-ES+A256KW') {
            if ($curve -in 'P-256', 'X25519') {
                foreach ($enc in $script:EncAlgs) { @{ Curve = $curve; KeyAlg = $alg; EncAlg = $enc } }
            } else {
                @{ Curve = $curve; KeyAlg = $alg; EncAlg = $script:EncAlgs[$i % 6] }
                $i++
            }
        }
    }
)

Describe 'Protect-KrJWTPayload' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'KeyHelpers.ps1'))

        $script:SignHex = New-TestHexKey 32
        $script:Rsa, $script:RsaPrivatePem, $script:RsaPublicPem = New-TestRsaKey
        $script:RsaPemPath = New-TestTempFile -Text $script:RsaPublicPem
        $script:RsaCertificate = Get-TestPublicCertificate (New-TestCertificate $script:Rsa)
        $script:RsaPublicJwk = ConvertTo-TestRsaJwk $script:Rsa
        $script:EcKeys = @{}
        foreach ($curve in 'P-256', 'P-384', 'P-521') {
            $ec = New-TestEcKey $curve
            $script:EcKeys[$curve] = @{ Private = $ec.ExportPkcs8PrivateKeyPem(); Public = $ec.ExportSubjectPublicKeyInfoPem() }
        }
        $x25519 = New-TestOkpPem X25519
        # .NET cannot export X25519 public keys; the library does (Get-KrJwk).
        $script:EcKeys['X25519'] = @{ Private = $x25519; PublicJwk = (Get-KrJwk -Pem $x25519).Json }

        # A signed builder with an issuer, an audience and a custom header.
        function New-SignedBuilder {
            New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'EncIssuer' | Add-KrJWTAudience -Audience 'EncAudience' |
                Add-KrJWTSubject -Subject 'alice' | Add-KrJWTHeader -Name 'x-test' -Value 'kept' |
                Protect-KrJWT -HexadecimalKey $script:SignHex
        }

        # Checks the shape of an encrypted result: five segments, the outer header, the flags.
        function Assert-Encrypted($Result, [string] $KeyAlg, [string] $EncAlg) {
            $Result.Token.Split('.') | Should -HaveCount 5
            $Result.IsEncrypted | Should -BeTrue
            $outer = Get-TestTokenHeader $Result.Token
            $outer['alg'] | Should -BeExactly $KeyAlg
            $outer['enc'] | Should -BeExactly $EncAlg
            $outer['cty'] | Should -Be 'JWT'
            $Result.OuterHeader['alg'] | Should -BeExactly $KeyAlg
            $Result.OuterHeader['enc'] | Should -BeExactly $EncAlg
            # The result still describes the signed token inside.
            $Result.Algorithm | Should -Be 'HS256'
            $Result.Issuer | Should -Be 'EncIssuer'
            $Result.Header['x-test'] | Should -Be 'kept'
        }
    }

    AfterAll {
        [System.IO.File]::Delete($script:RsaPemPath)
    }

    It 'takes the key sources of the reference plus -Pem and -Passphrase (-<Parameter>, formerly the parameter set <Set>), in its one parameter set' -TestCases @(
        @{ Set = 'Base64Url'; Parameter = 'Base64Url' }, @{ Set = 'HexadecimalKey'; Parameter = 'HexadecimalKey' },
        @{ Set = 'Bytes'; Parameter = 'KeyBytes' }, @{ Set = 'PemPath'; Parameter = 'PemPath' }, @{ Set = 'Pem'; Parameter = 'Pem' },
        @{ Set = 'Certificate'; Parameter = 'X509Certificate' }, @{ Set = 'JwkJson'; Parameter = 'JwkJson' },
        @{ Set = 'JwkPath'; Parameter = 'JwkPath' }, @{ Set = 'Passphrase'; Parameter = 'Passphrase' }
    ) {
        param($Set, $Parameter)
        @((Get-Command Protect-KrJWTPayload).Parameters[$Parameter].ParameterSets.Keys) | Should -Be @('__AllParameterSets')
        @((Get-Command Protect-KrJWTPayload).ParameterSets | ForEach-Object Name) | Should -Be @('__AllParameterSets')
    }

    It 'encrypts with a secret: <KeyAlg> + <EncAlg> (<Bytes>-byte key), validated from the result and from parameters' -TestCases $script:SecretCases {
        param($KeyAlg, $EncAlg, $Bytes)
        $secret = New-TestHexKey $Bytes
        $result = New-SignedBuilder | Protect-KrJWTPayload -HexadecimalKey $secret -KeyAlg $KeyAlg -EncAlg $EncAlg | Build-KrJWT
        Assert-Encrypted $result $KeyAlg $EncAlg
        if ($KeyAlg -eq 'dir') { $result.Token.Split('.')[1] | Should -BeNullOrEmpty } else { $result.Token.Split('.')[1] | Should -Not -BeNullOrEmpty }
        Test-KrJWT -Result $result -Token $result.Token | Should -BeTrue
        $vp = Get-KrJWTValidationParameter -HexadecimalKey $script:SignHex -Issuer 'EncIssuer' -Audience 'EncAudience' -DecryptionHexadecimalKey $secret
        Test-KrJWT -ValidationParameter $vp -Token $result.Token | Should -BeTrue
        $info = Get-KrJWTInfo -Token $result.Token -HexadecimalKey $secret
        $info.IsDecrypted | Should -BeTrue
        $info.Subject | Should -Be 'alice'
        # Another secret of the same size cannot open it.
        $other = Get-KrJWTValidationParameter -HexadecimalKey $script:SignHex -DecryptionHexadecimalKey (New-TestHexKey $Bytes)
        (Test-KrJWT -ValidationParameter $other -Token $result.Token -Detailed).Reason.ToString() | Should -Be 'DecryptionFailed'
    }

    It 'encrypts with a password: <KeyAlg> + <EncAlg>' -TestCases $script:Pbes2Cases {
        param($KeyAlg, $EncAlg)
        $password = 'correct horse battery staple'
        $result = New-SignedBuilder | Protect-KrJWTPayload -Passphrase (ConvertTo-SecureString $password -AsPlainText -Force) -KeyAlg $KeyAlg -EncAlg $EncAlg | Build-KrJWT
        Assert-Encrypted $result $KeyAlg $EncAlg
        $outer = Get-TestTokenHeader $result.Token
        $outer['p2c'] | Should -BeGreaterThan 999
        $outer['p2s'] | Should -Not -BeNullOrEmpty
        # PBES2 is only accepted when named (the pair: naming the key management alone pins enc to A256GCM).
        $vp = Get-KrJWTValidationParameter -HexadecimalKey $script:SignHex -DecryptionPassphrase (ConvertTo-SecureString $password -AsPlainText -Force) -DecryptionKeyAlg $KeyAlg -DecryptionEncAlg $EncAlg
        Test-KrJWT -ValidationParameter $vp -Token $result.Token | Should -BeTrue
    }

    It 'does not accept PBES2 tokens unless the algorithm is named' {
        # A 32-character password, so that the key also fits algorithms accepted without naming (dir, A256KW).
        $hex = [Convert]::ToHexString([System.Text.Encoding]::UTF8.GetBytes('KrJwt PBES2 test password 32 ch!'))
        $result = New-SignedBuilder | Protect-KrJWTPayload -HexadecimalKey $hex -KeyAlg 'PBES2-HS256+A128KW' -EncAlg A128GCM | Build-KrJWT
        # The result knows the pair it encrypted with.
        Test-KrJWT -Result $result -Token $result.Token | Should -BeTrue
        $unnamed = Get-KrJWTValidationParameter -HexadecimalKey $script:SignHex -DecryptionHexadecimalKey $hex
        $report = Test-KrJWT -ValidationParameter $unnamed -Token $result.Token -Detailed
        $report.IsValid | Should -BeFalse
        $report.Message | Should -Match 'PBES2'
        $named = Get-KrJWTValidationParameter -HexadecimalKey $script:SignHex -DecryptionHexadecimalKey $hex -DecryptionKeyAlg 'pbes2-hs256+a128kw' -DecryptionEncAlg A128GCM
        Test-KrJWT -ValidationParameter $named -Token $result.Token | Should -BeTrue
    }

    It 'encrypts to an RSA public key (<Source>): <KeyAlg> + <EncAlg>, decrypted with the private key' -TestCases $script:RsaCases {
        param($KeyAlg, $EncAlg, $Source)
        $builder = New-SignedBuilder
        $builder = switch ($Source) {
            'Pem' { $builder | Protect-KrJWTPayload -Pem $script:RsaPublicPem -KeyAlg $KeyAlg -EncAlg $EncAlg }
            'PemPath' { $builder | Protect-KrJWTPayload -PemPath $script:RsaPemPath -KeyAlg $KeyAlg -EncAlg $EncAlg }
            'Certificate' { $builder | Protect-KrJWTPayload -X509Certificate $script:RsaCertificate -KeyAlg $KeyAlg -EncAlg $EncAlg }
            'JwkJson' { $builder | Protect-KrJWTPayload -JwkJson $script:RsaPublicJwk -KeyAlg $KeyAlg -EncAlg $EncAlg }
        }
        $result = $builder | Build-KrJWT
        Assert-Encrypted $result $KeyAlg $EncAlg
        # The outer header names the recipient key.
        (Get-TestTokenHeader $result.Token)['kid'] | Should -Be (Get-KrJwk -Pem $script:RsaPublicPem).KeyId
        (ConvertFrom-TestBase64Url $result.Token.Split('.')[1]).Length | Should -Be 256
        $extra = @{}
        # RSA1_5 is only accepted when named (both names: the key management alone pins enc to A256GCM).
        if ($KeyAlg -eq 'RSA1_5') { $extra.DecryptionKeyAlg = 'RSA1_5'; $extra.DecryptionEncAlg = $EncAlg }
        $vp = Get-KrJWTValidationParameter -HexadecimalKey $script:SignHex -Issuer 'EncIssuer' -DecryptionPem $script:RsaPrivatePem @extra
        Test-KrJWT -ValidationParameter $vp -Token $result.Token | Should -BeTrue
    }

    It 'encrypts to an <Curve> key: <KeyAlg> + <EncAlg>, decrypted with the private key' -TestCases $script:EcCases {
        param($Curve, $KeyAlg, $EncAlg)
        $keys = $script:EcKeys[$Curve]
        $builder = if ($Curve -eq 'X25519') {
            New-SignedBuilder | Protect-KrJWTPayload -JwkJson $keys.PublicJwk -KeyAlg $KeyAlg -EncAlg $EncAlg
        } else {
            New-SignedBuilder | Protect-KrJWTPayload -Pem $keys.Public -KeyAlg $KeyAlg -EncAlg $EncAlg
        }
        $result = $builder | Build-KrJWT
        Assert-Encrypted $result $KeyAlg $EncAlg
        $epk = (Get-TestTokenHeader $result.Token)['epk']
        $epk | Should -Not -BeNullOrEmpty
        if ($Curve -eq 'X25519') { $epk['crv'] | Should -Be 'X25519' } else { $epk['crv'] | Should -Be $Curve }
        $vp = Get-KrJWTValidationParameter -HexadecimalKey $script:SignHex -Audience 'EncAudience' -DecryptionPem $keys.Private
        Test-KrJWT -ValidationParameter $vp -Token $result.Token | Should -BeTrue
    }

    It 'refuses RSA1_5 tokens unless RSA1_5 is named' {
        $result = New-SignedBuilder | Protect-KrJWTPayload -Pem $script:RsaPublicPem -KeyAlg RSA1_5 -EncAlg A128CBC-HS256 | Build-KrJWT
        $vp = Get-KrJWTValidationParameter -HexadecimalKey $script:SignHex -DecryptionPem $script:RsaPrivatePem
        (Test-KrJWT -ValidationParameter $vp -Token $result.Token -Detailed).IsValid | Should -BeFalse
    }

    It 'accepts every content encryption when only -DecryptionKeyAlg is named' {
        $result = New-SignedBuilder | Protect-KrJWTPayload -Pem $script:RsaPublicPem -KeyAlg RSA1_5 -EncAlg A128CBC-HS256 | Build-KrJWT
        $vp = Get-KrJWTValidationParameter -HexadecimalKey $script:SignHex -DecryptionPem $script:RsaPrivatePem -DecryptionKeyAlg RSA1_5
        Test-KrJWT -ValidationParameter $vp -Token $result.Token | Should -BeTrue
    }

    It 'leaves IsEncrypted false and OuterHeader empty on signed results' {
        $result = New-SignedBuilder | Build-KrJWT
        $result.IsEncrypted | Should -BeFalse
        $result.OuterHeader | Should -BeNullOrEmpty
    }

    It 'refuses a key management algorithm other than the JWK''s own alg' {
        $jwk = $script:RsaPublicJwk.TrimEnd('}') + ',"alg":"RSA-OAEP-256"}'
        { New-SignedBuilder | Protect-KrJWTPayload -JwkJson $jwk -KeyAlg RSA1_5 } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*'
    }

    It 'decrypts from the result when the builder was given the private key' {
        $result = New-SignedBuilder | Protect-KrJWTPayload -Pem $script:EcKeys['P-384'].Private | Build-KrJWT
        Test-KrJWT -Result $result -Token $result.Token | Should -BeTrue
    }

    It 'cannot decrypt from the result when only the public key was given (DecryptionFailed)' {
        $result = New-SignedBuilder | Protect-KrJWTPayload -Pem $script:RsaPublicPem | Build-KrJWT
        $report = Test-KrJWT -Result $result -Token $result.Token -Detailed
        $report.IsValid | Should -BeFalse
        $report.Reason.ToString() | Should -Be 'DecryptionFailed'
    }

    It 'uses the key defaults: <Case> -> <KeyAlg> + <EncAlg>' -TestCases @(
        @{ Case = '16-byte secret'; Bytes = 16; KeyAlg = 'dir'; EncAlg = 'A128GCM' },
        @{ Case = '24-byte secret'; Bytes = 24; KeyAlg = 'dir'; EncAlg = 'A192GCM' },
        @{ Case = '32-byte secret'; Bytes = 32; KeyAlg = 'dir'; EncAlg = 'A256GCM' },
        @{ Case = '48-byte secret'; Bytes = 48; KeyAlg = 'dir'; EncAlg = 'A192CBC-HS384' },
        @{ Case = '64-byte secret'; Bytes = 64; KeyAlg = 'dir'; EncAlg = 'A256CBC-HS512' },
        @{ Case = 'RSA'; Bytes = 0; KeyAlg = 'RSA-OAEP'; EncAlg = 'A256GCM' },
        @{ Case = 'EC'; Bytes = 0; KeyAlg = 'ECDH-ES'; EncAlg = 'A256GCM' }
    ) {
        param($Case, $Bytes, $KeyAlg, $EncAlg)
        $builder = if ($Case -eq 'RSA') { New-SignedBuilder | Protect-KrJWTPayload -Pem $script:RsaPrivatePem }
        elseif ($Case -eq 'EC') { New-SignedBuilder | Protect-KrJWTPayload -Pem $script:EcKeys['P-256'].Private }
        else { New-SignedBuilder | Protect-KrJWTPayload -Base64Url (ConvertTo-TestBase64Url ([System.Security.Cryptography.RandomNumberGenerator]::GetBytes($Bytes))) }
        $result = $builder | Build-KrJWT
        Assert-Encrypted $result $KeyAlg $EncAlg
        Test-KrJWT -Result $result -Token $result.Token | Should -BeTrue
    }

    It 'takes empty, whitespace and Auto names as the defaults' {
        $hex = New-TestHexKey 32
        foreach ($name in '', '   ', 'Auto', 'auto') {
            $result = New-SignedBuilder | Protect-KrJWTPayload -HexadecimalKey $hex -KeyAlg $name -EncAlg $name | Build-KrJWT
            $result.OuterHeader['alg'] | Should -Be 'dir'
            $result.OuterHeader['enc'] | Should -Be 'A256GCM'
        }
    }

    It 'accepts names case-insensitively and the reference spelling ECDH-ESA256KW' {
        $result = New-SignedBuilder | Protect-KrJWTPayload -Pem $script:EcKeys['P-256'].Public -KeyAlg 'ecdh-esa256kw' -EncAlg 'a128cbc-hs256' | Build-KrJWT
        $result.OuterHeader['alg'] | Should -BeExactly 'ECDH-ES+A256KW'
        $result.OuterHeader['enc'] | Should -BeExactly 'A128CBC-HS256'
    }

    It 'encrypts with raw key bytes and with an oct JWK' {
        $bytes = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32)
        $fromBytes = New-SignedBuilder | Protect-KrJWTPayload -KeyBytes $bytes -KeyAlg A256KW | Build-KrJWT
        $jwk = "{`"kty`":`"oct`",`"k`":`"$(ConvertTo-TestBase64Url $bytes)`"}"
        $vp = Get-KrJWTValidationParameter -HexadecimalKey $script:SignHex -DecryptionJwkJson $jwk
        Test-KrJWT -ValidationParameter $vp -Token $fromBytes.Token | Should -BeTrue
        $fromJwk = New-SignedBuilder | Protect-KrJWTPayload -JwkJson $jwk | Build-KrJWT
        $vp2 = Get-KrJWTValidationParameter -HexadecimalKey $script:SignHex -DecryptionKeyBytes $bytes
        Test-KrJWT -ValidationParameter $vp2 -Token $fromJwk.Token | Should -BeTrue
    }

    It 'encrypts to an ECDSA certificate (ECDH-ES) and decrypts with the certificate''s private key' {
        $ec = New-TestEcKey 'P-256'
        $cert = New-TestCertificate $ec
        $result = New-SignedBuilder | Protect-KrJWTPayload -X509Certificate (Get-TestPublicCertificate $cert) | Build-KrJWT
        $result.OuterHeader['alg'] | Should -Be 'ECDH-ES'
        $vp = Get-KrJWTValidationParameter -HexadecimalKey $script:SignHex -DecryptionX509Certificate $cert
        Test-KrJWT -ValidationParameter $vp -Token $result.Token | Should -BeTrue
    }

    It 'keeps custom headers in the signed inner header' {
        $hex = New-TestHexKey 32
        $result = New-SignedBuilder | Protect-KrJWTPayload -HexadecimalKey $hex | Build-KrJWT
        (Get-KrJWTInfo -Token $result.Token -HexadecimalKey $hex).Header['x-test'] | Should -Be 'kept'
        (Get-TestTokenHeader $result.Token).Contains('x-test') | Should -BeFalse
    }

    It 'replaces an earlier encryption key' {
        $first = New-TestHexKey 16
        $second = New-TestHexKey 32
        $result = New-SignedBuilder | Protect-KrJWTPayload -HexadecimalKey $first | Protect-KrJWTPayload -HexadecimalKey $second | Build-KrJWT
        $result.OuterHeader['enc'] | Should -Be 'A256GCM'
        $vp = Get-KrJWTValidationParameter -HexadecimalKey $script:SignHex -DecryptionHexadecimalKey $second
        Test-KrJWT -ValidationParameter $vp -Token $result.Token | Should -BeTrue
    }

    It 'returns the same builder' {
        $builder = New-SignedBuilder
        $out = $builder | Protect-KrJWTPayload -HexadecimalKey (New-TestHexKey 32)
        [object]::ReferenceEquals($out.psobject.BaseObject, $builder.psobject.BaseObject) | Should -BeTrue
    }

    It 'refuses an unknown key management name with KrJwt.InvalidArgument, listing the names' {
        { New-SignedBuilder | Protect-KrJWTPayload -HexadecimalKey (New-TestHexKey 32) -KeyAlg 'A512KW' } |
            Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*A256GCMKW*'
    }

    It 'refuses an unknown content encryption name with KrJwt.InvalidArgument' {
        { New-SignedBuilder | Protect-KrJWTPayload -HexadecimalKey (New-TestHexKey 32) -EncAlg 'A512GCM' } |
            Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*A256CBC-HS512*'
    }

    It 'refuses a key that does not fit: <Case>' -TestCases @(
        @{ Case = 'dir with a 20-byte secret'; Message = '*20-byte secret*' },
        @{ Case = 'A128KW with a 32-byte secret'; Message = '*16-byte*' },
        @{ Case = 'dir + A256GCM with a 16-byte secret'; Message = '*32 bytes*' },
        @{ Case = 'RSA with A256KW'; Message = '*shared secret*' },
        @{ Case = 'EC with RSA-OAEP'; Message = '*RSA key*' },
        @{ Case = 'Ed25519'; Message = '*only signs*' }
    ) {
        param($Case, $Message)
        $block = switch ($Case) {
            'dir with a 20-byte secret' { { New-SignedBuilder | Protect-KrJWTPayload -HexadecimalKey (New-TestHexKey 20) } }
            'A128KW with a 32-byte secret' { { New-SignedBuilder | Protect-KrJWTPayload -HexadecimalKey (New-TestHexKey 32) -KeyAlg A128KW } }
            'dir + A256GCM with a 16-byte secret' { { New-SignedBuilder | Protect-KrJWTPayload -HexadecimalKey (New-TestHexKey 16) -EncAlg A256GCM } }
            'RSA with A256KW' { { New-SignedBuilder | Protect-KrJWTPayload -Pem $script:RsaPublicPem -KeyAlg A256KW } }
            'EC with RSA-OAEP' { { New-SignedBuilder | Protect-KrJWTPayload -Pem $script:EcKeys['P-256'].Public -KeyAlg RSA-OAEP } }
            'Ed25519' { { New-SignedBuilder | Protect-KrJWTPayload -Pem (Get-TestEd25519Pem) } }
        }
        $block | Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage $Message
    }

    It 'refuses a missing recipient PEM file with KrJwt.Io' {
        { New-SignedBuilder | Protect-KrJWTPayload -PemPath 'no-such-dir/recipient.pem' } | Should -Throw -ErrorId 'KrJwt.Io,*'
    }

    It 'completes <Parameter> with the JWE names (<Prefix> -> <Count>)' -TestCases @(
        @{ Parameter = 'KeyAlg'; Prefix = 'ECDH'; Count = 4 },
        @{ Parameter = 'KeyAlg'; Prefix = 'rsa'; Count = 5 },
        @{ Parameter = 'KeyAlg'; Prefix = 'PBES2'; Count = 3 },
        @{ Parameter = 'KeyAlg'; Prefix = ''; Count = 19 },
        @{ Parameter = 'EncAlg'; Prefix = 'A1'; Count = 4 },
        @{ Parameter = 'EncAlg'; Prefix = ''; Count = 6 }
    ) {
        param($Parameter, $Prefix, $Count)
        $attribute = (Get-Command Protect-KrJWTPayload).Parameters[$Parameter].Attributes |
            Where-Object { $_ -is [System.Management.Automation.ArgumentCompleterAttribute] }
        $attribute.Type.FullName | Should -Be 'KrJwt.Completion.KrAlgorithmCompleter'
        $completer = [Activator]::CreateInstance($attribute.Type)
        $results = @($completer.CompleteArgument('Protect-KrJWTPayload', $Parameter, $Prefix, $null, @{}))
        $results | Should -HaveCount $Count
    }
}
