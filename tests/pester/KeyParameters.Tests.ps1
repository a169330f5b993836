# The key parameters, declared once (powershell/src/Binding/KeyParameters.cs) for Protect-KrJWT,
# Protect-KrJWTPayload, Get-KrJWTInfo, Get-KrJWTValidationParameter, Get-KrJwk and
# Add-KrJWTBearerAuthentication: the same names, types and conversions everywhere; one parameter set per
# cmdlet for them, so that two keys where one is taken, and none where one is needed, are refused by the
# cmdlet with ErrorIds KrJwt.KeySourceConflict and KrJwt.MissingKey; the names the cmdlets used before
# (-SigningKeyHexadecimal, -DecryptionKeyAlg, ...) as aliases; key rings that take several keys.

Describe 'Key parameters' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'KeyHelpers.ps1'))

        $script:Hex = New-TestHexKey 32
        $script:Rsa, $script:RsaPrivatePem, $script:RsaPublicPem = New-TestRsaKey
        $script:Other = [System.Security.Cryptography.RSA]::Create(2048)
        $script:Signed = New-TestBuilder -Issuer 'KeyParameters' -Audience 'api' -HexKey $script:Hex | Build-KrJWT
        $script:RsaSigned = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'KeyParameters' | Add-KrJWTAudience -Audience 'api' |
            Protect-KrJWT -Pem $script:RsaPrivatePem | Build-KrJWT
        $script:OtherSigned = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'KeyParameters' | Add-KrJWTAudience -Audience 'api' |
            Protect-KrJWT -Pem $script:Other.ExportPkcs8PrivateKeyPem() | Build-KrJWT
        $script:Schemes = [System.Collections.Generic.List[string]]::new()

        # Registers a bearer scheme and validates a token with it, as a route would.
        function Test-WithScheme([hashtable] $Parameters, [string] $Token) {
            $name = 'keyparameters-' + [Guid]::NewGuid().ToString('N')
            $script:Schemes.Add($name)
            Add-KrJWTBearerAuthentication -AuthenticationScheme $name -ValidIssuer 'KeyParameters' -ValidAudience 'api' @Parameters
            $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "Bearer $Token" } } }
            Test-KrJWT -FromContext -Scheme $name
        }

        # Asserts that a call fails with the KrJwt $ErrorId as an invalid argument, its message like $Message;
        # returns the error record.
        function Assert-KeyFailure([scriptblock] $Call, [string] $ErrorId, [string] $Message) {
            $failure = try { $null = & $Call; $null } catch { $_ }
            $failure | Should -Not -BeNullOrEmpty
            $failure.FullyQualifiedErrorId | Should -BeLike "$ErrorId,*"
            $failure.CategoryInfo.Category | Should -Be 'InvalidArgument'
            $failure.Exception.Message | Should -BeLike $Message
            $failure
        }
    }

    AfterAll {
        foreach ($name in $script:Schemes) { $null = [KrJwt.JwtBearerSchemes]::Remove($name) }
    }

    It '<Cmdlet> declares -<Parameter> as every other cmdlet does (type <Type>, same conversions)' -TestCases @(
        foreach ($cmdlet in 'Protect-KrJWT', 'Protect-KrJWTPayload', 'Get-KrJWTInfo', 'Get-KrJWTValidationParameter') {
            @{ Cmdlet = $cmdlet; Parameter = 'Base64Url'; Type = 'String' }
            @{ Cmdlet = $cmdlet; Parameter = 'HexadecimalKey'; Type = 'String' }
            @{ Cmdlet = $cmdlet; Parameter = 'KeyBytes'; Type = 'Byte[]' }
            @{ Cmdlet = $cmdlet; Parameter = 'Passphrase'; Type = 'SecureString' }
        }
        foreach ($cmdlet in 'Protect-KrJWT', 'Protect-KrJWTPayload', 'Get-KrJWTInfo', 'Get-KrJWTValidationParameter', 'Get-KrJwk') {
            @{ Cmdlet = $cmdlet; Parameter = 'PemPath'; Type = 'String' }
            @{ Cmdlet = $cmdlet; Parameter = 'Pem'; Type = 'String' }
            @{ Cmdlet = $cmdlet; Parameter = 'JwkJson'; Type = 'String' }
            @{ Cmdlet = $cmdlet; Parameter = 'JwkPath'; Type = 'String' }
            @{ Cmdlet = $cmdlet; Parameter = 'X509Certificate'; Type = 'X509Certificate2' }
        }
    ) {
        param($Cmdlet, $Parameter, $Type)
        $parameter = (Get-Command $Cmdlet).Parameters[$Parameter]
        $parameter.ParameterType.Name | Should -Be $Type
        $attributes = @($parameter.Attributes | ForEach-Object { $_.GetType().Name })
        $attributes | Should -Contain 'ValidateNotNullOrEmptyAttribute'
        if ($Parameter -eq 'Pem') { $attributes | Should -Contain 'PemTextArgumentAttribute' }
        if ($Parameter -eq 'JwkJson') { $attributes | Should -Contain 'JsonTextArgumentAttribute' }
        # One set for every key source of a cmdlet.
        @($parameter.ParameterSets.Keys) | Should -HaveCount 1
    }

    It 'key rings take several values of a source: <Cmdlet> -<Parameter> is <Type>' -TestCases @(
        @{ Cmdlet = 'Get-KrJWTValidationParameter'; Parameter = 'DecryptionPem'; Type = 'String[]' }
        @{ Cmdlet = 'Get-KrJWTValidationParameter'; Parameter = 'DecryptionX509Certificate'; Type = 'X509Certificate2[]' }
        @{ Cmdlet = 'Get-KrJWTValidationParameter'; Parameter = 'DecryptionKeyBytes'; Type = 'Byte[]' }
        @{ Cmdlet = 'Add-KrJWTBearerAuthentication'; Parameter = 'HexadecimalKey'; Type = 'String[]' }
        @{ Cmdlet = 'Add-KrJWTBearerAuthentication'; Parameter = 'Pem'; Type = 'String[]' }
        @{ Cmdlet = 'Add-KrJWTBearerAuthentication'; Parameter = 'JwksJson'; Type = 'String' }
    ) {
        param($Cmdlet, $Parameter, $Type)
        (Get-Command $Cmdlet).Parameters[$Parameter].ParameterType.Name | Should -Be $Type
    }

    It 'keeps the former name -<Alias> of <Cmdlet> -<Parameter> as an alias' -TestCases @(
        @{ Cmdlet = 'Add-KrJWTBearerAuthentication'; Parameter = 'HexadecimalKey'; Alias = 'SigningKeyHexadecimal' }
        @{ Cmdlet = 'Add-KrJWTBearerAuthentication'; Parameter = 'HexadecimalKey'; Alias = 'SigningKeyHex' }
        @{ Cmdlet = 'Add-KrJWTBearerAuthentication'; Parameter = 'Base64Url'; Alias = 'SigningKeyBase64Url' }
        @{ Cmdlet = 'Add-KrJWTBearerAuthentication'; Parameter = 'Pem'; Alias = 'SigningKeyPem' }
        @{ Cmdlet = 'Add-KrJWTBearerAuthentication'; Parameter = 'PemPath'; Alias = 'SigningKeyPemPath' }
        @{ Cmdlet = 'Add-KrJWTBearerAuthentication'; Parameter = 'JwkJson'; Alias = 'SigningKeyJwkJson' }
        @{ Cmdlet = 'Add-KrJWTBearerAuthentication'; Parameter = 'JwkJson'; Alias = 'IssuerSigningKeyJwk' }
        @{ Cmdlet = 'Add-KrJWTBearerAuthentication'; Parameter = 'X509Certificate'; Alias = 'SigningKeyCertificate' }
        @{ Cmdlet = 'Get-KrJWTValidationParameter'; Parameter = 'KeyAlg'; Alias = 'DecryptionKeyAlg' }
        @{ Cmdlet = 'Get-KrJWTValidationParameter'; Parameter = 'EncAlg'; Alias = 'DecryptionEncAlg' }
        @{ Cmdlet = 'Protect-KrJWTPayload'; Parameter = 'KeyAlg'; Alias = 'KeyManagementAlgorithm' }
        @{ Cmdlet = 'Protect-KrJWTPayload'; Parameter = 'EncAlg'; Alias = 'ContentEncryptionAlgorithm' }
    ) {
        param($Cmdlet, $Parameter, $Alias)
        (Get-Command $Cmdlet).Parameters[$Parameter].Aliases | Should -Contain $Alias
    }

    It 'a scheme made with the former names validates like one made with the common names' {
        (Test-WithScheme @{ SigningKeyHexadecimal = $script:Hex } $script:Signed.Token) | Should -BeTrue
        (Test-WithScheme @{ HexadecimalKey = $script:Hex } $script:Signed.Token) | Should -BeTrue
        (Test-WithScheme @{ SigningKeyPem = $script:RsaPublicPem } $script:RsaSigned.Token) | Should -BeTrue
        (Test-WithScheme @{ Pem = $script:RsaPublicPem } $script:RsaSigned.Token) | Should -BeTrue
        (Test-WithScheme @{ Pem = $script:RsaPublicPem } $script:Signed.Token) | Should -BeFalse
    }

    It 'refuses two keys where one is taken (<Name>), naming both parameters' -TestCases @(
        @{ Name = 'Protect-KrJWT'; Call = { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey $script:Hex -Pem $script:RsaPrivatePem }; Given = '-HexadecimalKey and -Pem' }
        @{ Name = 'Protect-KrJWTPayload'; Call = { New-KrJWTBuilder | Protect-KrJWTPayload -Base64Url 'AAAA' -HexadecimalKey $script:Hex }; Given = '-Base64Url and -HexadecimalKey' }
        @{ Name = 'Get-KrJWTInfo'; Call = { Get-KrJWTInfo -Token $script:Signed.Token -HexadecimalKey $script:Hex -PemPath 'key.pem' }; Given = '-HexadecimalKey and -PemPath' }
        @{ Name = 'Get-KrJWTValidationParameter'; Call = { Get-KrJWTValidationParameter -Pem $script:RsaPublicPem -JwksJson '{"keys":[]}' }; Given = '-Pem and -JwksJson' }
        @{ Name = 'Get-KrJwk'; Call = { Get-KrJwk -Pem $script:RsaPublicPem -JwkPath 'key.json' }; Given = '-Pem and -JwkPath' }
        @{ Name = 'Add-KrJWTBearerAuthentication'; Call = { Add-KrJWTBearerAuthentication -Name 'two-sets' -JwksJson '{"keys":[]}' -JwksPath 'keys.json' }; Given = '-JwksJson and -JwksPath' }
    ) {
        param($Name, $Call, $Given)
        $failure = Assert-KeyFailure $Call 'KrJwt.KeySourceConflict' "$Name takes one *, but was given $Given. Give only one."
        $failure.TargetObject | Should -BeNullOrEmpty
    }

    It 'refuses a call without the key it needs (<Name>), listing the parameters that give one' -TestCases @(
        @{ Name = 'Protect-KrJWT'; Call = { New-KrJWTBuilder | Protect-KrJWT -Algorithm HS256 }; What = 'signing key' }
        @{ Name = 'Protect-KrJWTPayload'; Call = { New-KrJWTBuilder | Protect-KrJWTPayload -KeyAlg dir }; What = 'encryption key' }
        @{ Name = 'Get-KrJWTInfo'; Call = { Get-KrJWTInfo -Token $script:Signed.Token -KeyAlg dir }; What = 'decryption key' }
        @{ Name = 'Get-KrJWTValidationParameter'; Call = { Get-KrJWTValidationParameter -Issuer 'KeyParameters' -Audience 'api' }; What = 'verification key or JWK Set' }
    ) {
        param($Name, $Call, $What)
        $null = Assert-KeyFailure $Call 'KrJwt.MissingKey' "$Name needs the $What`: give one of -Base64Url, -HexadecimalKey, -KeyBytes, -Passphrase, -PemPath, -Pem, -JwkJson, -JwkPath, -X509Certificate*."
    }

    It 'refuses an empty key at binding, as the mandatory parameters did' {
        { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey '' } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        { Get-KrJWTValidationParameter -KeyBytes @() } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
        { Get-KrJWTValidationParameter -HexadecimalKey $script:Hex -DecryptionPem $null } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'keeps the sets that are not about keys apart: a key with -Result is refused by the binder' {
        { Get-KrJWTValidationParameter -Result $script:Signed -HexadecimalKey $script:Hex } | Should -Throw -ErrorId 'ParameterNotInParameterSet,*'
        { Get-KrJwk -Result $script:Signed -Pem $script:RsaPublicPem } | Should -Throw -ErrorId 'ParameterNotInParameterSet,*'
    }

    It 'a bearer scheme takes several keys of one source (-Pem $a, $b), and the lines of one PEM file as one key' {
        $pems = $script:RsaPublicPem, $script:Other.ExportSubjectPublicKeyInfoPem()
        (Test-WithScheme @{ Pem = $pems } $script:RsaSigned.Token) | Should -BeTrue
        (Test-WithScheme @{ Pem = $pems } $script:OtherSigned.Token) | Should -BeTrue
        $lines = $script:RsaPublicPem -split "`n"
        (Test-WithScheme @{ Pem = $lines } $script:RsaSigned.Token) | Should -BeTrue
        (Test-WithScheme @{ Pem = $lines } $script:OtherSigned.Token) | Should -BeFalse
    }

    It 'validation parameters take several decryption keys of one source' {
        $first = New-TestHexKey 32
        $second = New-TestHexKey 32
        $encrypted = foreach ($key in $first, $second) {
            New-TestBuilder -Issuer 'KeyParameters' -Audience 'api' -HexKey $script:Hex | Protect-KrJWTPayload -HexadecimalKey $key | Build-KrJWT
        }
        $vp = Get-KrJWTValidationParameter -HexadecimalKey $script:Hex -Issuer 'KeyParameters' -Audience 'api' -DecryptionHexadecimalKey $first, $second
        foreach ($result in $encrypted) { Test-KrJWT -ValidationParameter $vp -Token $result.Token | Should -BeTrue }
        $one = Get-KrJWTValidationParameter -HexadecimalKey $script:Hex -Issuer 'KeyParameters' -Audience 'api' -DecryptionHexadecimalKey $first
        Test-KrJWT -ValidationParameter $one -Token $encrypted[1].Token | Should -BeFalse
    }

    It 'Get-KrJWTInfo takes a -Passphrase, for PBES2 tokens named with -KeyAlg' {
        $password = ConvertTo-SecureString 'correct horse battery staple' -AsPlainText -Force
        $result = New-TestBuilder -Issuer 'KeyParameters' -HexKey $script:Hex |
            Protect-KrJWTPayload -Passphrase $password -KeyAlg 'PBES2-HS256+A128KW' -EncAlg A128GCM | Build-KrJWT
        (Get-KrJWTInfo $result.Token -Passphrase $password -KeyAlg 'PBES2-HS256+A128KW').Issuer | Should -Be 'KeyParameters'
        { Get-KrJWTInfo $result.Token -Passphrase $password } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*'
    }
}
