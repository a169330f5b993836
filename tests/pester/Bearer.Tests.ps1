# Add-KrJWTBearerAuthentication (sets ValidationParameter and Items, every switch with an observable
# effect, claim policies, the scheme registry), Test-KrJWT -FromContext [-Scheme] [-Policy] [-Detailed]
# and Get-KrJWTInfo -FromContext, with fake request contexts ($Context.Request.Headers).
#
# The scheme registry is process-wide, so each test registers the schemes it uses under its own names
# and the registry is emptied before and after this file.

BeforeAll {
    . ([System.IO.Path]::Combine($PSScriptRoot, 'KeyHelpers.ps1'))

    function Clear-TestSchemes { foreach ($name in [KrJwt.JwtBearerSchemes]::Names) { $null = [KrJwt.JwtBearerSchemes]::Remove($name) } }

    # A request context as a route sees it: $Context.Request.Headers['Authorization'].
    function New-TestContext {
        param([AllowNull()] [string] $Token, [string] $Authorization)
        $headers = @{}
        if ($Token) { $headers['Authorization'] = "Bearer $Token" }
        elseif ($Authorization) { $headers['Authorization'] = $Authorization }
        [pscustomobject]@{ Request = [pscustomobject]@{ Headers = $headers } }
    }

    # Registers a scheme from discrete parameters and validates $Token with it (a report).
    function Test-TestScheme {
        param([hashtable] $Parameters, [string] $Token, [string] $Policy)
        $name = 'items-' + [Guid]::NewGuid().ToString('N')
        Add-KrJWTBearerAuthentication -AuthenticationScheme $name @Parameters
        $Context = New-TestContext -Token $Token
        if ($Policy) { Test-KrJWT -FromContext -Scheme $name -Policy $Policy -Detailed }
        else { Test-KrJWT -FromContext -Scheme $name -Detailed }
        $null = [KrJwt.JwtBearerSchemes]::Remove($name)
    }

    Clear-TestSchemes

    $script:Key = New-TestHexKey 32
    $script:Builder = New-TestBuilder -Issuer 'KestrunApi' -Audience 'KestrunClients' -HexKey $script:Key
    $script:Result = Copy-KrJWTTokenBuilder -Builder $script:Builder |
        Add-KrJWTSubject -Subject 'admin' |
        Add-KrJWTClaim -UserClaimType Name -Value 'admin' |
        Add-KrJWTClaim -ClaimType 'can_read' -Value 'true' |
        Add-KrJWTClaim -ClaimType 'flags' -JsonValue '{"x":1}' |
        Add-KrJWTClaim -ClaimType 'level' -JsonValue '3' |
        Add-KrJWTClaim -ClaimType 'beta' -JsonValue 'true' |
        Add-KrJWTClaim -ClaimType 'groups' -JsonValue '["staff","ops"]' |
        Build-KrJWT
    $script:Token = $script:Result.Token
    $script:Validation = $script:Result | Get-KrJWTValidationParameter

    # An RSA key made by .NET, for the PEM, JWK, JWKS and certificate key sources.
    $rsa, $script:RsaPrivatePem, $script:RsaPublicPem = New-TestRsaKey
    $script:RsaBuilder = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'KestrunApi' | Add-KrJWTAudience -Audience 'KestrunClients' |
        Protect-KrJWT -Pem $script:RsaPrivatePem -Algorithm RS256
    $script:RsaToken = ($script:RsaBuilder | Add-KrJWTSubject -Subject 'rsa-user' | Build-KrJWT).Token
    $script:PemFile = [System.IO.Path]::GetTempFileName()
    [System.IO.File]::WriteAllText($script:PemFile, $script:RsaPublicPem)
    $script:Certificate = New-TestCertificate $rsa -Subject 'CN=KrJwt bearer test'
    $script:PublicCertificate = Get-TestPublicCertificate $script:Certificate
}

AfterAll {
    Clear-TestSchemes
    if ($script:PemFile -and [System.IO.File]::Exists($script:PemFile)) { [System.IO.File]::Delete($script:PemFile) }
}

Describe 'Add-KrJWTBearerAuthentication surface' {
    It 'has the parameter sets Items (default), ValidationParameter, Authority and JwksUri' {
        $command = Get-Command Add-KrJWTBearerAuthentication
        $command.DefaultParameterSet | Should -Be 'Items'
        $names = [string[]]@($command.ParameterSets | ForEach-Object Name)
        [Array]::Sort($names, [StringComparer]::Ordinal)
        $names -join ',' | Should -Be 'Authority,Items,JwksUri,ValidationParameter'
    }

    It 'accepts -Name as an alias of -AuthenticationScheme' {
        (Get-Command Add-KrJWTBearerAuthentication).Parameters['AuthenticationScheme'].Aliases | Should -Contain 'Name'
    }

    It 'declares the scheme as its output type' {
        @((Get-Command Add-KrJWTBearerAuthentication).OutputType | ForEach-Object Name) | Should -Contain 'KrJwt.JwtBearerScheme'
    }

    It 'returns nothing without -PassThru' {
        @(Add-KrJWTBearerAuthentication -Name 'quiet' -ValidationParameter $script:Validation) | Should -HaveCount 0
        [KrJwt.JwtBearerSchemes]::Get('quiet') | Should -Not -BeNullOrEmpty
    }

    It 'defaults the scheme name to JwtBearer and the display name to "JWT Bearer Authentication"' {
        $scheme = Add-KrJWTBearerAuthentication -ValidationParameter $script:Validation -PassThru
        $scheme | Should -BeOfType ([KrJwt.JwtBearerScheme])
        $scheme.Name | Should -Be 'JwtBearer'
        $scheme.DisplayName | Should -Be 'JWT Bearer Authentication'
        [KrJwt.JwtBearerSchemes]::Get('JwtBearer').Name | Should -Be 'JwtBearer'
        $null = [KrJwt.JwtBearerSchemes]::Remove('JwtBearer')
    }

    It 'keeps -DisplayName and -Description' {
        $scheme = Add-KrJWTBearerAuthentication -Name 'described' -DisplayName 'Partner API' -Description 'tokens from partners' -ValidationParameter $script:Validation -PassThru
        $scheme.DisplayName | Should -Be 'Partner API'
        $scheme.Description | Should -Be 'tokens from partners'
    }

    It 'uses -ValidationParameter as it is (the same object), also from the pipeline' {
        $scheme = Add-KrJWTBearerAuthentication -Name 'vp' -ValidationParameter $script:Validation -PassThru
        [object]::ReferenceEquals($scheme.ValidationParameters, $script:Validation) | Should -BeTrue
        $piped = $script:Validation | Add-KrJWTBearerAuthentication -Name 'vp-piped' -PassThru
        [object]::ReferenceEquals($piped.ValidationParameters, $script:Validation) | Should -BeTrue
    }

    It 'replaces a scheme of the same name (any case), with a warning' {
        $first = Add-KrJWTBearerAuthentication -Name 'twice' -ValidationParameter $script:Validation -PassThru
        $warnings = $null
        $second = Add-KrJWTBearerAuthentication -Name 'TWICE' -ValidationParameter $script:Validation -DisplayName 'second' -PassThru -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 1
        "$($warnings[0])" | Should -Match 'replaced'
        [KrJwt.JwtBearerSchemes]::Get('twice').DisplayName | Should -Be 'second'
        [object]::ReferenceEquals([KrJwt.JwtBearerSchemes]::Get('twice'), $second) | Should -BeTrue
        [object]::ReferenceEquals($first, $second) | Should -BeFalse
    }

    It 'runs the guide''s §3 / §4.7 line: Add-KrJWTBearerAuthentication -Name ''Bearer'' -ValidationParameter $validation' {
        $validation = $script:Result | Get-KrJWTValidationParameter
        Add-KrJWTBearerAuthentication -Name 'Bearer' -ValidationParameter $validation
        $Context = New-TestContext -Token $script:Token
        Test-KrJWT -FromContext -Scheme 'Bearer' | Should -BeTrue
    }

    It 'refuses -DoesNotRequireSignedTokens (KrJwt never accepts unsigned tokens)' {
        { Add-KrJWTBearerAuthentication -Name 'unsigned' -SigningKeyHexadecimal $script:Key -DoesNotRequireSignedTokens } |
            Should -Throw -ErrorId 'KrJwt.UnsignedTokensRefused,*'
        [KrJwt.JwtBearerSchemes]::Get('unsigned') | Should -BeNullOrEmpty
    }

    It 'needs at least one key in the Items set' {
        { Add-KrJWTBearerAuthentication -Name 'keyless' -ValidIssuer 'KestrunApi' } | Should -Throw -ErrorId 'KrJwt.*'
        [KrJwt.JwtBearerSchemes]::Get('keyless') | Should -BeNullOrEmpty
    }

    It 'refuses a bad key with the library''s error' {
        { Add-KrJWTBearerAuthentication -Name 'badkey' -SigningKeyHexadecimal 'abcd' } | Should -Throw -ErrorId 'KrJwt.InvalidKey,*'
    }

    It 'refuses a malformed -JwksJson' {
        { Add-KrJWTBearerAuthentication -Name 'badjwks' -JwksJson '{"keys":' } | Should -Throw -ErrorId 'KrJwt.InvalidJson,*'
    }

    It 'refuses a -ClaimPolicy without a claim' {
        { Add-KrJWTBearerAuthentication -Name 'badpolicy' -ValidationParameter $script:Validation -ClaimPolicy @{ P = @{ Values = 'x' } } } |
            Should -Throw -ErrorId 'KrJwt.InvalidClaimPolicy,*'
    }
}

Describe 'Add-KrJWTBearerAuthentication -Items: key sources' {
    It 'verifies with -SigningKeyHexadecimal' {
        (Test-TestScheme @{ SigningKeyHexadecimal = $script:Key } $script:Token).IsValid | Should -BeTrue
        (Test-TestScheme @{ SigningKeyHexadecimal = (New-TestHexKey 32) } $script:Token).Reason | Should -Be 'InvalidSignature'
    }

    It 'verifies with -SigningKeyBase64Url' {
        $b64 = ConvertTo-TestBase64Url ([Convert]::FromHexString($script:Key))
        (Test-TestScheme @{ SigningKeyBase64Url = $b64 } $script:Token).IsValid | Should -BeTrue
    }

    It 'verifies with -SigningKeyJwkJson (oct JWK)' {
        $jwk = '{"kty":"oct","k":"' + (ConvertTo-TestBase64Url ([Convert]::FromHexString($script:Key))) + '"}'
        (Test-TestScheme @{ SigningKeyJwkJson = $jwk } $script:Token).IsValid | Should -BeTrue
    }

    It 'verifies with -SigningKeyJwkJson (public RSA JWK from Get-KrJwk)' {
        $jwk = ($script:RsaBuilder | Get-KrJwk).Json
        (Test-TestScheme @{ SigningKeyJwkJson = $jwk } $script:RsaToken).IsValid | Should -BeTrue
        (Test-TestScheme @{ SigningKeyJwkJson = $jwk } $script:Token).IsValid | Should -BeFalse
    }

    It 'verifies with -SigningKeyPem (SPKI public key text)' {
        $report = Test-TestScheme @{ SigningKeyPem = $script:RsaPublicPem } $script:RsaToken
        $report.IsValid | Should -BeTrue
        $report.Claims['sub'] | Should -Be 'rsa-user'
    }

    It 'verifies with -SigningKeyPemPath (a PEM file)' {
        (Test-TestScheme @{ SigningKeyPemPath = $script:PemFile } $script:RsaToken).IsValid | Should -BeTrue
    }

    It 'reports an unreadable -SigningKeyPemPath as KrJwt.Io' {
        { Add-KrJWTBearerAuthentication -Name 'nofile' -SigningKeyPemPath ([System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'no-such-krjwt.pem')) } |
            Should -Throw -ErrorId 'KrJwt.Io,*'
    }

    It 'verifies with -SigningKeyCertificate (public certificate)' {
        $token = (New-KrJWTBuilder | Protect-KrJWT -X509Certificate $script:Certificate | Add-KrJWTSubject -Subject 'cert-user' | Build-KrJWT).Token
        (Test-TestScheme @{ SigningKeyCertificate = $script:PublicCertificate } $token).IsValid | Should -BeTrue
    }

    It 'verifies with -JwksJson (a key set from New-KrJwks; kid selects the key)' {
        $other = New-KrJWTBuilder | Protect-KrJWT -Pem ([System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256).ExportPkcs8PrivateKeyPem())
        $jwks = New-KrJwks $script:RsaBuilder, $other
        (ConvertFrom-TestJson $jwks)['keys'] | Should -HaveCount 2
        (Test-TestScheme @{ JwksJson = $jwks } $script:RsaToken).IsValid | Should -BeTrue
        $ecToken = ($other | Build-KrJWT).Token
        (Test-TestScheme @{ JwksJson = $jwks } $ecToken).IsValid | Should -BeTrue
        (Test-TestScheme @{ JwksJson = ($other | New-KrJwks) } $script:RsaToken).IsValid | Should -BeFalse
    }

    It 'combines several key sources (either key verifies)' {
        $parameters = @{ SigningKeyHexadecimal = $script:Key; SigningKeyPem = $script:RsaPublicPem }
        (Test-TestScheme $parameters $script:Token).IsValid | Should -BeTrue
        (Test-TestScheme $parameters $script:RsaToken).IsValid | Should -BeTrue
    }
}

Describe 'Add-KrJWTBearerAuthentication -Items: every switch has an effect' {
    It '-<Parameter> accepts <Accepted> and refuses <Refused> with <Reason>' -TestCases @(
        @{ Parameter = 'ValidIssuer'; Accepted = 'KestrunApi'; Refused = 'Other'; Reason = 'InvalidIssuer' }
        @{ Parameter = 'ValidIssuers'; Accepted = @('A', 'KestrunApi'); Refused = @('A', 'B'); Reason = 'InvalidIssuer' }
        @{ Parameter = 'ValidAudience'; Accepted = 'KestrunClients'; Refused = 'Other'; Reason = 'InvalidAudience' }
        @{ Parameter = 'ValidAudiences'; Accepted = @('X', 'KestrunClients'); Refused = @('X', 'Y'); Reason = 'InvalidAudience' }
    ) {
        (Test-TestScheme @{ SigningKeyHexadecimal = $script:Key; $Parameter = $Accepted } $script:Token).IsValid | Should -BeTrue
        (Test-TestScheme @{ SigningKeyHexadecimal = $script:Key; $Parameter = $Refused } $script:Token).Reason | Should -Be $Reason
    }

    It '-ValidIssuers adds to -ValidIssuer' {
        $scheme = Add-KrJWTBearerAuthentication -Name 'iss' -SigningKeyHexadecimal $script:Key -ValidIssuer 'A' -ValidIssuers 'B', 'A' -PassThru
        $scheme.ValidationParameters.Issuers | Should -Be @('A', 'B')
    }

    It '-ValidAlgorithms pins the accepted algorithms' {
        $key64 = New-TestHexKey 64
        $hs256 = (New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey $key64 -Algorithm HS256 | Build-KrJWT).Token
        (Test-TestScheme @{ SigningKeyHexadecimal = $key64; ValidAlgorithms = 'HS256' } $hs256).IsValid | Should -BeTrue
        (Test-TestScheme @{ SigningKeyHexadecimal = $key64; ValidAlgorithms = 'HS512' } $hs256).Reason | Should -Be 'AlgorithmNotAllowed'
        $scheme = Add-KrJWTBearerAuthentication -Name 'alg' -SigningKeyHexadecimal $key64 -ValidAlgorithms 'HS384', 'HS512' -PassThru
        $scheme.ValidationParameters.Algorithms | Should -Contain 'HS512'
        $scheme.ValidationParameters.Algorithms | Should -Not -Contain 'HS256'
    }

    It '-SkipValidateIssuer accepts any issuer even with -ValidIssuer' {
        $report = Test-TestScheme @{ SigningKeyHexadecimal = $script:Key; ValidIssuer = 'Other'; SkipValidateIssuer = $true } $script:Token
        $report.IsValid | Should -BeTrue
    }

    It '-SkipValidateAudience accepts any audience even with -ValidAudience' {
        $report = Test-TestScheme @{ SigningKeyHexadecimal = $script:Key; ValidAudience = 'Other'; SkipValidateAudience = $true } $script:Token
        $report.IsValid | Should -BeTrue
    }

    It '-SkipValidateLifetime accepts an expired token' {
        $now = Get-TestNow
        $expired = New-TestHs256Token -HexKey $script:Key -PayloadJson "{`"sub`":`"old`",`"iat`":$($now - 7200),`"exp`":$($now - 3600)}"
        (Test-TestScheme @{ SigningKeyHexadecimal = $script:Key } $expired).Reason | Should -Be 'Expired'
        (Test-TestScheme @{ SigningKeyHexadecimal = $script:Key; SkipValidateLifetime = $true } $expired).IsValid | Should -BeTrue
    }

    It '-DoesNotRequireExpirationTime accepts a token without exp (an exp that is there still counts)' {
        $now = Get-TestNow
        $noExp = New-TestHs256Token -HexKey $script:Key -PayloadJson "{`"sub`":`"forever`",`"iat`":$now}"
        (Test-TestScheme @{ SigningKeyHexadecimal = $script:Key } $noExp).Reason | Should -Be 'MissingExpiration'
        (Test-TestScheme @{ SigningKeyHexadecimal = $script:Key; DoesNotRequireExpirationTime = $true } $noExp).IsValid | Should -BeTrue
        $expired = New-TestHs256Token -HexKey $script:Key -PayloadJson "{`"exp`":$($now - 3600)}"
        (Test-TestScheme @{ SigningKeyHexadecimal = $script:Key; DoesNotRequireExpirationTime = $true } $expired).Reason | Should -Be 'Expired'
        $scheme = Add-KrJWTBearerAuthentication -Name 'noexp' -SigningKeyHexadecimal $script:Key -DoesNotRequireExpirationTime -PassThru
        $scheme.ValidationParameters.RequireExpiration | Should -BeFalse
    }

    It '-ClockSkew widens or narrows the lifetime tolerance (default 1 minute)' {
        $now = Get-TestNow
        $justExpired = New-TestHs256Token -HexKey $script:Key -PayloadJson "{`"iat`":$($now - 100),`"exp`":$($now - 30)}"
        (Test-TestScheme @{ SigningKeyHexadecimal = $script:Key } $justExpired).IsValid | Should -BeTrue
        (Test-TestScheme @{ SigningKeyHexadecimal = $script:Key; ClockSkew = [TimeSpan]::Zero } $justExpired).Reason | Should -Be 'Expired'
        $longAgo = New-TestHs256Token -HexKey $script:Key -PayloadJson "{`"iat`":$($now - 1000),`"exp`":$($now - 600)}"
        (Test-TestScheme @{ SigningKeyHexadecimal = $script:Key; ClockSkew = [TimeSpan]::FromMinutes(15) } $longAgo).IsValid | Should -BeTrue
        (Add-KrJWTBearerAuthentication -Name 'skew' -SigningKeyHexadecimal $script:Key -PassThru).ValidationParameters.ClockSkew |
            Should -Be ([TimeSpan]::FromMinutes(1))
        (Add-KrJWTBearerAuthentication -Name 'skew' -SigningKeyHexadecimal $script:Key -ClockSkew ([TimeSpan]::FromSeconds(5)) -PassThru -WarningAction SilentlyContinue).ValidationParameters.ClockSkew |
            Should -Be ([TimeSpan]::FromSeconds(5))
    }

    It 'validates issuer, audience and lifetime by default (switches off)' {
        $scheme = Add-KrJWTBearerAuthentication -Name 'defaults' -SigningKeyHexadecimal $script:Key -ValidIssuer 'I' -ValidAudience 'A' -PassThru
        $scheme.ValidationParameters.ValidateIssuer | Should -BeTrue
        $scheme.ValidationParameters.ValidateAudience | Should -BeTrue
        $scheme.ValidationParameters.ValidateLifetime | Should -BeTrue
        $scheme.ValidationParameters.RequireExpiration | Should -BeTrue
        $scheme.ValidationParameters.RequireSignedTokens | Should -BeTrue
    }
}

Describe 'Claim policies (-ClaimPolicy, Test-KrJWT -Policy)' {
    BeforeAll {
        $script:PolicyScheme = Add-KrJWTBearerAuthentication -Name 'policies' -ValidationParameter $script:Validation -PassThru -ClaimPolicy @{
            CanRead   = @{ Claim = 'can_read'; Values = @('true') }
            CanDelete = @{ Claim = 'can_delete'; Values = @('true') }
            Named     = 'unique_name'
            Staff     = @{ ClaimType = 'groups'; AllowedValues = 'staff' }
            Admins    = @{ Claim = 'groups'; Values = 'admins' }
            Level     = @{ Claim = 'level'; Values = 2, 3 }
            Beta      = @{ Claim = 'beta'; Values = 'true' }
            Flags     = @{ Claim = 'flags' }
        }
    }

    It 'stores the policies on the scheme' {
        $script:PolicyScheme.ClaimPolicies.Count | Should -Be 8
        $script:PolicyScheme.ClaimPolicies['canread'].ClaimType | Should -Be 'can_read'
        $script:PolicyScheme.ClaimPolicies['CanRead'].AllowedValues | Should -Be @('true')
        $script:PolicyScheme.ClaimPolicies['Named'].AllowedValues | Should -HaveCount 0
    }

    It 'policy <Policy> is satisfied: <Expected>' -TestCases @(
        @{ Policy = 'CanRead'; Expected = $true }, @{ Policy = 'CanDelete'; Expected = $false },
        @{ Policy = 'Named'; Expected = $true }, @{ Policy = 'Staff'; Expected = $true },
        @{ Policy = 'Admins'; Expected = $false }, @{ Policy = 'Level'; Expected = $true },
        @{ Policy = 'Beta'; Expected = $true }, @{ Policy = 'Flags'; Expected = $true }
    ) {
        param($Policy, $Expected)
        $Context = New-TestContext -Token $script:Token
        Test-KrJWT -FromContext -Scheme 'policies' -Policy $Policy | Should -Be $Expected
        $report = Test-KrJWT -FromContext -Scheme 'policies' -Policy $Policy -Detailed
        $report.Policy | Should -Be $Policy
        $report.PolicySatisfied | Should -Be $Expected
        $report.IsValid | Should -Be $Expected
        $report.Reason | Should -Be 'Valid'
        $report.StatusCode | Should -Be $(if ($Expected) { 200 } else { 403 })
    }

    It 'a failed policy gives 403 with an insufficient_scope challenge and says which claim is missing' {
        $Context = New-TestContext -Token $script:Token
        $report = Test-KrJWT -FromContext -Scheme 'policies' -Policy 'CanDelete' -Detailed
        $report.Challenge | Should -Match 'error="insufficient_scope"'
        $report.Message | Should -Match 'can_delete'
    }

    It 'an invalid token fails the policy too, with 401' {
        $Context = New-TestContext -Token ($script:Token + 'x')
        $report = Test-KrJWT -FromContext -Scheme 'policies' -Policy 'CanRead' -Detailed
        $report.PolicySatisfied | Should -BeFalse
        $report.IsValid | Should -BeFalse
        $report.StatusCode | Should -Be 401
    }

    It 'an unknown policy is a terminating KrJwt.PolicyNotFound error' {
        $Context = New-TestContext -Token $script:Token
        { Test-KrJWT -FromContext -Scheme 'policies' -Policy 'Nope' } | Should -Throw -ErrorId 'KrJwt.PolicyNotFound,*' -ExpectedMessage '*CanRead*'
    }

    It 'accepts a Kestrun-style policy object (Policies dictionary of ClaimType/AllowedValues)' {
        $config = [pscustomobject]@{ Policies = @{ CanRead = [pscustomobject]@{ ClaimType = 'can_read'; AllowedValues = [System.Collections.Generic.List[string]]@('true') } } }
        $scheme = Add-KrJWTBearerAuthentication -Name 'kestrun-policy' -ValidationParameter $script:Validation -ClaimPolicy $config -PassThru
        $scheme.ClaimPolicies['CanRead'].AllowedValues | Should -Be @('true')
        $Context = New-TestContext -Token $script:Token
        Test-KrJWT -FromContext -Scheme 'kestrun-policy' -Policy 'CanRead' | Should -BeTrue
    }
}

Describe 'Test-KrJWT -FromContext' {
    BeforeAll {
        Add-KrJWTBearerAuthentication -Name 'ctx' -ValidationParameter $script:Validation
    }

    It 'has a Context parameter set with -FromContext, -Scheme, -Policy and -Detailed' {
        $command = Get-Command Test-KrJWT
        @($command.ParameterSets | ForEach-Object Name) | Should -Contain 'Context'
        $command.Parameters['FromContext'].ParameterSets['Context'].IsMandatory | Should -BeTrue
        @($command.Parameters['Scheme'].ParameterSets.Keys) | Should -Be @('Context')
        @($command.Parameters['Policy'].ParameterSets.Keys) | Should -Be @('Context')
        $command.Parameters['Token'].ParameterSets.ContainsKey('Context') | Should -BeFalse
        @($command.OutputType | ForEach-Object Name) | Should -Contain 'KrJwt.JwtBearerReport'
    }

    It 'returns $true for a valid bearer token (scheme in any case)' -TestCases @(
        @{ Header = 'Bearer {0}' }, @{ Header = 'bearer {0}' }, @{ Header = '  BEARER   {0}  ' }
    ) {
        param($Header)
        $Context = New-TestContext -Authorization ($Header -f $script:Token)
        Test-KrJWT -FromContext -Scheme 'ctx' | Should -BeTrue
        Test-KrJWT -FromContext -Scheme 'CTX' | Should -BeTrue
    }

    It 'returns the report with -Detailed (claims for the route)' {
        $Context = New-TestContext -Token $script:Token
        $report = Test-KrJWT -FromContext -Scheme 'ctx' -Detailed
        $report | Should -BeOfType ([KrJwt.JwtBearerReport])
        $report.Scheme | Should -Be 'ctx'
        $report.HasToken | Should -BeTrue
        $report.IsValid | Should -BeTrue
        $report.Reason | Should -Be 'Valid'
        $report.PolicySatisfied | Should -BeNullOrEmpty
        $report.StatusCode | Should -Be 200
        $report.Challenge | Should -BeNullOrEmpty
        $report.Claims['unique_name'] | Should -Be 'admin'
        $report.Header['alg'] | Should -Be 'HS256'
    }

    It 'returns $false (no error) without a token, and the report says 401 with a plain Bearer challenge' {
        $Context = New-TestContext
        $errors = $null
        Test-KrJWT -FromContext -Scheme 'ctx' -ErrorVariable errors | Should -BeFalse
        $errors | Should -HaveCount 0
        $report = Test-KrJWT -FromContext -Scheme 'ctx' -Detailed
        $report.HasToken | Should -BeFalse
        $report.IsValid | Should -BeFalse
        $report.Reason | Should -BeNullOrEmpty
        $report.StatusCode | Should -Be 401
        $report.Challenge | Should -Be 'Bearer realm="ctx"'
        $report.Message | Should -Match 'Authorization'
    }

    It 'treats a Basic header and a missing $Context as no token' {
        $Context = New-TestContext -Authorization 'Basic YWRtaW46cGFzc3dvcmQ='
        (Test-KrJWT -FromContext -Scheme 'ctx' -Detailed).HasToken | Should -BeFalse
        $Context = $null
        (Test-KrJWT -FromContext -Scheme 'ctx' -Detailed).Message | Should -Match 'Context'
    }

    It 'returns $false for a forged token, with 401 and an invalid_token challenge naming the reason' {
        $forged = Set-TestTokenSegment -Token $script:Token -Index 1 -Json '{"sub":"mallory","iss":"KestrunApi","aud":"KestrunClients","exp":4102444800}'
        $Context = New-TestContext -Token $forged
        Test-KrJWT -FromContext -Scheme 'ctx' | Should -BeFalse
        $report = Test-KrJWT -FromContext -Scheme 'ctx' -Detailed
        $report.Reason | Should -Be 'InvalidSignature'
        $report.StatusCode | Should -Be 401
        $report.Claims | Should -BeNullOrEmpty
        $report.Challenge | Should -Match '^Bearer realm="ctx", error="invalid_token", error_description="InvalidSignature: '
        $report.Challenge.Substring(7) | Should -Not -Match '[\\]'
    }

    It 'uses the only registered scheme, else the one named JwtBearer, when -Scheme is left out' {
        Clear-TestSchemes
        $Context = New-TestContext -Token $script:Token
        { Test-KrJWT -FromContext } | Should -Throw -ErrorId 'KrJwt.SchemeNotFound,*' -ExpectedMessage '*No bearer scheme is registered*'
        Add-KrJWTBearerAuthentication -Name 'only' -ValidationParameter $script:Validation
        (Test-KrJWT -FromContext -Detailed).Scheme | Should -Be 'only'
        Add-KrJWTBearerAuthentication -Name 'second' -SigningKeyHexadecimal (New-TestHexKey 32)
        { Test-KrJWT -FromContext } | Should -Throw -ErrorId 'KrJwt.SchemeNotFound,*' -ExpectedMessage '*-Scheme*'
        Add-KrJWTBearerAuthentication -ValidationParameter $script:Validation
        (Test-KrJWT -FromContext -Detailed).Scheme | Should -Be 'JwtBearer'
        Test-KrJWT -FromContext -Scheme 'second' | Should -BeFalse
        Clear-TestSchemes
        Add-KrJWTBearerAuthentication -Name 'ctx' -ValidationParameter $script:Validation
    }

    It 'refuses an unknown -Scheme with KrJwt.SchemeNotFound' {
        $Context = New-TestContext -Token $script:Token
        { Test-KrJWT -FromContext -Scheme 'missing' } | Should -Throw -ErrorId 'KrJwt.SchemeNotFound,*' -ExpectedMessage '*missing*'
    }

    It 'keeps the other sets working unchanged' {
        Test-KrJWT -Token $script:Token -ValidationParameter $script:Validation | Should -BeTrue
        Test-KrJWT $script:Result $script:Token | Should -BeTrue
    }

    It 'sees $Context of a parent scope' {
        function Invoke-Route { Test-KrJWT -FromContext -Scheme 'ctx' }
        $Context = New-TestContext -Token $script:Token
        Invoke-Route | Should -BeTrue
    }
}

Describe 'Get-KrJWTInfo -FromContext' {
    It 'decodes the request''s bearer token (no validation)' {
        $Context = New-TestContext -Authorization "bearer $script:Token"
        $info = Get-KrJWTInfo -FromContext
        $info.Subject | Should -Be 'admin'
        $info.Issuer | Should -Be 'KestrunApi'
    }

    It 'writes a non-terminating KrJwt.NoBearerToken error and no output without a token' {
        $Context = New-TestContext -Authorization 'Basic YWRtaW46cGFzc3dvcmQ='
        $errors = $null
        $out = @(Get-KrJWTInfo -FromContext -ErrorVariable errors -ErrorAction SilentlyContinue)
        $out | Should -HaveCount 0
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'KrJwt.NoBearerToken,*'
    }

    It 'decrypts an encrypted request token with a registered scheme''s keys (-Scheme)' {
        $encrypted = Copy-KrJWTTokenBuilder -Builder $script:Builder | Protect-KrJWTPayload -HexadecimalKey (New-TestHexKey 32) |
            Add-KrJWTSubject -Subject 'hidden' | Build-KrJWT
        $encrypted | Get-KrJWTValidationParameter | Add-KrJWTBearerAuthentication -Name 'enc'
        $Context = New-TestContext -Token $encrypted.Token
        (Get-KrJWTInfo -FromContext).IsEncrypted | Should -BeTrue
        (Get-KrJWTInfo -FromContext).Subject | Should -BeNullOrEmpty
        $info = Get-KrJWTInfo -FromContext -Scheme 'enc'
        $info.IsEncrypted | Should -BeTrue
        $info.Subject | Should -Be 'hidden'
        Test-KrJWT -FromContext -Scheme 'enc' | Should -BeTrue
    }
}

Describe 'The scheme registry' {
    It 'is shared by runspaces of the process (a RunspacePool sees schemes registered here)' {
        Add-KrJWTBearerAuthentication -Name 'shared' -ValidationParameter $script:Validation
        $iss = [initialsessionstate]::CreateDefault2()
        $iss.ImportPSModule($script:ModuleManifest)
        $runspace = [runspacefactory]::CreateRunspace($iss)
        $runspace.Open()
        try {
            $ps = [powershell]::Create()
            $ps.Runspace = $runspace
            $null = $ps.AddScript({
                    param($Token)
                    $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "Bearer $Token" } } }
                    Test-KrJWT -FromContext -Scheme 'shared'
                }).AddArgument($script:Token)
            $out = $ps.Invoke()
            $ps.Streams.Error | Should -HaveCount 0
            $out | Should -HaveCount 1
            $out[0] | Should -BeTrue
            $ps.Dispose()
        }
        finally { $runspace.Dispose() }
    }

    It 'lists, gets and removes schemes by name (case-insensitive)' {
        Add-KrJWTBearerAuthentication -Name 'listed' -ValidationParameter $script:Validation
        [KrJwt.JwtBearerSchemes]::Names | Should -Contain 'listed'
        [KrJwt.JwtBearerSchemes]::Get('LISTED').Name | Should -Be 'listed'
        [KrJwt.JwtBearerSchemes]::Remove('Listed') | Should -BeTrue
        [KrJwt.JwtBearerSchemes]::Get('listed') | Should -BeNullOrEmpty
    }
}
