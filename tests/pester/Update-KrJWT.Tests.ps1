# Update-KrJWT: both parameter sets (Token, Context), renewal semantics (claims kept, times refreshed,
# audiences merged without duplicates, builder untouched, -Lifetime), -WhatIf/-Confirm, refusal of
# forged/expired/foreign tokens, -FromContext with fake request contexts, and the seed guide's §5
# issue & renew snippet.

BeforeAll {
    . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))

    # A request context as a route sees it: $Context.Request.Headers['Authorization'].
    function New-TestContext {
        param([AllowNull()] [object] $Authorization, [switch] $NoHeader, [string] $HeaderName = 'Authorization')
        $headers = @{}
        if (-not $NoHeader) { $headers[$HeaderName] = $Authorization }
        [pscustomobject]@{ Request = [pscustomobject]@{ Headers = $headers } }
    }

    $script:Key = New-TestHexKey 32
    $script:Builder = New-TestBuilder -Issuer 'KestrunApi' -Audience 'KestrunClients' -HexKey $script:Key |
        Limit-KrJWTValidity -Minutes 10
    $script:Old = Copy-KrJWTTokenBuilder -Builder $script:Builder |
        Add-KrJWTSubject -Subject 'admin' |
        Add-KrJWTClaim -UserClaimType Name -Value 'admin' |
        Add-KrJWTClaim -UserClaimType Role -Value 'admin' |
        Add-KrJWTClaim -ClaimType 'can_read' -Value 'true' |
        Add-KrJWTClaim -ClaimType 'level' -JsonValue '42' |
        Add-KrJWTClaim -ClaimType 'groups' -JsonValue '["a","b"]' |
        Build-KrJWT
    $script:OldToken = $script:Old.Token
    $script:OldPayload = Get-TestTokenPayload $script:OldToken
    # Let a second pass so that refreshed times are observably newer.
    [System.Threading.Thread]::Sleep(1100)
    $script:Renewed = $script:Builder | Update-KrJWT -Token $script:OldToken
    $script:RenewedPayload = Get-TestTokenPayload $script:Renewed
    $script:Validation = $script:Old | Get-KrJWTValidationParameter
}

Describe 'Update-KrJWT surface' {
    It 'has the parameter sets Token (default) and Context' {
        $command = Get-Command Update-KrJWT
        $command.DefaultParameterSet | Should -Be 'Token'
        @($command.ParameterSets | ForEach-Object Name) | Should -HaveCount 2
        @($command.ParameterSets | ForEach-Object Name) | Should -Contain 'Context'
    }

    It 'takes -Builder from the pipeline in both sets, mandatory' {
        $builder = (Get-Command Update-KrJWT).Parameters['Builder']
        @($builder.ParameterSets.Keys) | Should -Be @('__AllParameterSets')
        $builder.ParameterSets['__AllParameterSets'].IsMandatory | Should -BeTrue
        $builder.ParameterSets['__AllParameterSets'].ValueFromPipeline | Should -BeTrue
    }

    It 'has -Token mandatory in Token only and -FromContext mandatory in Context only' {
        $parameters = (Get-Command Update-KrJWT).Parameters
        @($parameters['Token'].ParameterSets.Keys) | Should -Be @('Token')
        $parameters['Token'].ParameterSets['Token'].IsMandatory | Should -BeTrue
        @($parameters['FromContext'].ParameterSets.Keys) | Should -Be @('Context')
        $parameters['FromContext'].ParameterSets['Context'].IsMandatory | Should -BeTrue
        $parameters['FromContext'].ParameterType | Should -Be ([System.Management.Automation.SwitchParameter])
    }

    It 'has an optional -Lifetime [TimeSpan] in both sets' {
        $lifetime = (Get-Command Update-KrJWT).Parameters['Lifetime']
        $lifetime.ParameterType | Should -Be ([TimeSpan])
        $lifetime.ParameterSets.ContainsKey('__AllParameterSets') | Should -BeTrue
        $lifetime.ParameterSets['__AllParameterSets'].IsMandatory | Should -BeFalse
    }

    It 'supports -WhatIf and -Confirm and declares [string] output' {
        $command = Get-Command Update-KrJWT
        $command.Parameters.ContainsKey('WhatIf') | Should -BeTrue
        $command.Parameters.ContainsKey('Confirm') | Should -BeTrue
        @($command.OutputType | ForEach-Object Name) | Should -Contain 'System.String'
    }

    It 'takes named parameters only' {
        { Update-KrJWT $script:Builder $script:OldToken } | Should -Throw -ErrorId 'PositionalParameterNotFound,*'
    }
}

Describe 'Update-KrJWT -Token (renewal semantics)' {
    It 'returns a [string] compact JWS that validates like a fresh token' {
        $script:Renewed | Should -BeOfType ([string])
        $script:Renewed.Split('.') | Should -HaveCount 3
        $script:Renewed | Should -Not -Be $script:OldToken
        Test-KrJWT -Token $script:Renewed -ValidationParameter $script:Validation | Should -BeTrue
    }

    It 'keeps every claim with its JSON type' {
        $script:RenewedPayload['sub'] | Should -Be 'admin'
        $script:RenewedPayload['unique_name'] | Should -Be 'admin'
        $script:RenewedPayload['role'] | Should -Be 'admin'
        $script:RenewedPayload['can_read'] | Should -BeExactly 'true'
        $script:RenewedPayload['level'] | Should -Be 42
        $script:RenewedPayload['level'] | Should -BeOfType ([long])
        $script:RenewedPayload['groups'] | Should -Be @('a', 'b')
        $script:RenewedPayload['iss'] | Should -Be 'KestrunApi'
    }

    It 'refreshes iat, nbf and exp (exp = iat + the builder lifetime)' {
        $script:RenewedPayload['iat'] | Should -BeGreaterThan $script:OldPayload['iat']
        $script:RenewedPayload['nbf'] | Should -BeGreaterThan $script:OldPayload['nbf']
        $script:RenewedPayload['exp'] | Should -BeGreaterThan $script:OldPayload['exp']
        $script:RenewedPayload['nbf'] | Should -Be $script:RenewedPayload['iat']
        ($script:RenewedPayload['exp'] - $script:RenewedPayload['iat']) | Should -Be 600
        [Math]::Abs($script:RenewedPayload['iat'] - (Get-TestNow)) | Should -BeLessThan 5
    }

    It 'does not duplicate aud (one audience stays a string)' {
        $script:RenewedPayload['aud'] | Should -BeOfType ([string])
        $script:RenewedPayload['aud'] | Should -Be 'KestrunClients'
    }

    It 'merges the builder audiences into the token audiences without duplicates' {
        $wider = Copy-KrJWTTokenBuilder -Builder $script:Builder | Add-KrJWTAudience -Audience 'Other'
        $payload = Get-TestTokenPayload ($wider | Update-KrJWT -Token $script:OldToken)
        $payload['aud'] | Should -Be @('KestrunClients', 'Other')
        $again = Get-TestTokenPayload ($wider | Update-KrJWT -Token ($wider | Update-KrJWT -Token $script:OldToken))
        $again['aud'] | Should -Be @('KestrunClients', 'Other')
    }

    It 'does not change the builder' {
        $before = $script:Builder.Describe()
        $null = $script:Builder | Update-KrJWT -Token $script:OldToken -Lifetime ([TimeSpan]::FromMinutes(1))
        $script:Builder.Describe() | Should -BeExactly $before
        $script:Builder.Lifetime | Should -Be ([TimeSpan]::FromMinutes(10))
    }

    It 'honours -Lifetime' {
        $payload = Get-TestTokenPayload ($script:Builder | Update-KrJWT -Token $script:OldToken -Lifetime ([TimeSpan]::FromMinutes(2)))
        ($payload['exp'] - $payload['iat']) | Should -Be 120
        $payload = Get-TestTokenPayload ($script:Builder | Update-KrJWT -Token $script:OldToken -Lifetime ([TimeSpan]::FromHours(5)))
        ($payload['exp'] - $payload['iat']) | Should -Be 18000
    }

    It 'refuses a zero or negative -Lifetime with ErrorId KrJwt.InvalidArgument' -TestCases @(
        @{ Seconds = 0 }, @{ Seconds = -60 }
    ) {
        param($Seconds)
        { $script:Builder | Update-KrJWT -Token $script:OldToken -Lifetime ([TimeSpan]::FromSeconds($Seconds)) } |
            Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*positive*'
    }

    It 'replaces a jti with a new one' {
        $withJti = Copy-KrJWTTokenBuilder -Builder $script:Builder | Add-KrJWTClaim -ClaimType 'jti' -Value 'first-id' | Build-KrJWT
        $payload = Get-TestTokenPayload ($script:Builder | Update-KrJWT -Token $withJti.Token)
        $payload['jti'] | Should -Not -BeNullOrEmpty
        $payload['jti'] | Should -Not -Be 'first-id'
    }

    It 'keeps the builder custom headers' {
        $withHeader = Copy-KrJWTTokenBuilder -Builder $script:Builder | Add-KrJWTHeader -Name 'x-env' -Value 'test'
        (Get-TestTokenHeader ($withHeader | Update-KrJWT -Token $script:OldToken))['x-env'] | Should -Be 'test'
    }

    It 'renews many builders from the pipeline' {
        $second = Copy-KrJWTTokenBuilder -Builder $script:Builder
        $tokens = @($script:Builder, $second | Update-KrJWT -Token $script:OldToken)
        $tokens | Should -HaveCount 2
    }

    It 'renews an encrypted token when the builder can decrypt it (the renewed token is encrypted too)' {
        $encKey = New-TestHexKey 32
        $encrypting = Copy-KrJWTTokenBuilder -Builder $script:Builder | Protect-KrJWTPayload -HexadecimalKey $encKey
        $built = $encrypting | Add-KrJWTSubject -Subject 'secret-agent' | Build-KrJWT
        $built.Token.Split('.') | Should -HaveCount 5
        $renewed = $encrypting | Update-KrJWT -Token $built.Token -Lifetime ([TimeSpan]::FromMinutes(3))
        $renewed.Split('.') | Should -HaveCount 5
        $report = Test-KrJWT -Token $renewed -ValidationParameter ($built | Get-KrJWTValidationParameter) -Detailed
        $report.IsValid | Should -BeTrue
        $report.Claims['sub'] | Should -Be 'secret-agent'
        ($report.Claims['exp'] - $report.Claims['iat']) | Should -Be 180
    }

    It 'refuses an encrypted token the builder cannot decrypt' {
        $built = Copy-KrJWTTokenBuilder -Builder $script:Builder | Protect-KrJWTPayload -HexadecimalKey (New-TestHexKey 32) | Build-KrJWT
        { $script:Builder | Update-KrJWT -Token $built.Token } | Should -Throw -ErrorId 'KrJwt.InvalidToken,*'
    }
}

Describe 'Update-KrJWT refuses tokens it must not renew' {
    It 'refuses a forged token (payload changed) with ErrorId KrJwt.InvalidToken and the reason' {
        $json = [System.Text.Encoding]::UTF8.GetString((ConvertFrom-TestBase64Url $script:OldToken.Split('.')[1]))
        $json | Should -Match '"role":"admin"'
        $json = $json.Replace('"role":"admin"', '"role":"superuser"')
        $forged = Set-TestTokenSegment -Token $script:OldToken -Index 1 -Json $json
        { $script:Builder | Update-KrJWT -Token $forged } |
            Should -Throw -ErrorId 'KrJwt.InvalidToken,*' -ExpectedMessage '*InvalidSignature*'
    }

    It 'refuses an unsigned (alg none) token' {
        $none = Set-TestTokenSegment -Token $script:OldToken -Index 0 -Json '{"alg":"none","typ":"JWT"}' -DropSignature
        { $script:Builder | Update-KrJWT -Token $none } | Should -Throw -ErrorId 'KrJwt.InvalidToken,*'
    }

    It 'refuses an expired token' {
        $now = Get-TestNow
        $expired = New-TestHs256Token -HexKey $script:Key -PayloadJson "{`"sub`":`"admin`",`"iss`":`"KestrunApi`",`"aud`":`"KestrunClients`",`"iat`":$($now - 7200),`"nbf`":$($now - 7200),`"exp`":$($now - 3600)}"
        { $script:Builder | Update-KrJWT -Token $expired } |
            Should -Throw -ErrorId 'KrJwt.InvalidToken,*' -ExpectedMessage '*Expired*'
    }

    It 'accepts the same hand-signed token when it is still valid (the helper signs correctly)' {
        $now = Get-TestNow
        $valid = New-TestHs256Token -HexKey $script:Key -PayloadJson "{`"sub`":`"admin`",`"iss`":`"KestrunApi`",`"aud`":`"KestrunClients`",`"iat`":$now,`"nbf`":$now,`"exp`":$($now + 60)}"
        (Get-TestTokenPayload ($script:Builder | Update-KrJWT -Token $valid))['sub'] | Should -Be 'admin'
    }

    It 'refuses a token signed with another key (foreign)' {
        $foreign = New-TestBuilder -Issuer 'KestrunApi' -Audience 'KestrunClients' | Build-KrJWT
        { $script:Builder | Update-KrJWT -Token $foreign.Token } | Should -Throw -ErrorId 'KrJwt.InvalidToken,*'
    }

    It 'refuses a token of another issuer' {
        $other = New-TestBuilder -Issuer 'SomeoneElse' -Audience 'KestrunClients' -HexKey $script:Key | Build-KrJWT
        { $script:Builder | Update-KrJWT -Token $other.Token } |
            Should -Throw -ErrorId 'KrJwt.InvalidToken,*' -ExpectedMessage '*InvalidIssuer*'
    }

    It 'refuses a token for another audience' {
        $other = New-TestBuilder -Issuer 'KestrunApi' -Audience 'SomeoneElse' -HexKey $script:Key | Build-KrJWT
        { $script:Builder | Update-KrJWT -Token $other.Token } |
            Should -Throw -ErrorId 'KrJwt.InvalidToken,*' -ExpectedMessage '*InvalidAudience*'
    }

    It 'refuses text that is not a token' -TestCases @(
        @{ Token = 'not-a-token' }, @{ Token = 'a.b.c' }, @{ Token = '   ' }
    ) {
        param($Token)
        { $script:Builder | Update-KrJWT -Token $Token } | Should -Throw -ErrorId 'KrJwt.InvalidToken,*'
    }

    It 'refuses an empty -Token at binding' {
        { $script:Builder | Update-KrJWT -Token '' } | Should -Throw -ErrorId 'ParameterArgumentValidationErrorEmptyStringNotAllowed,*'
    }

    It 'needs a signing key on the builder' {
        $unsigned = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'KestrunApi'
        { $unsigned | Update-KrJWT -Token $script:OldToken } | Should -Throw -ErrorId 'KrJwt.*'
    }
}

Describe 'Update-KrJWT -WhatIf / -Confirm' {
    It '-WhatIf produces nothing (Token set)' {
        $out = @($script:Builder | Update-KrJWT -Token $script:OldToken -WhatIf)
        $out | Should -HaveCount 0
    }

    It '-WhatIf produces nothing (Context set)' {
        $Context = New-TestContext -Authorization "Bearer $script:OldToken"
        $out = @($script:Builder | Update-KrJWT -FromContext -WhatIf)
        $out | Should -HaveCount 0
    }

    It '-WhatIf does not validate (a forged token gives no error either)' {
        $out = @($script:Builder | Update-KrJWT -Token 'not-a-token' -WhatIf)
        $out | Should -HaveCount 0
    }

    It '-Confirm:$false renews without asking' {
        $script:Builder | Update-KrJWT -Token $script:OldToken -Confirm:$false | Should -Not -BeNullOrEmpty
    }

    It 'honours $WhatIfPreference' {
        $WhatIfPreference = $true
        $out = @($script:Builder | Update-KrJWT -Token $script:OldToken)
        $WhatIfPreference = $false
        $out | Should -HaveCount 0
    }
}

Describe 'Update-KrJWT -FromContext' {
    It 'renews the bearer token of $Context.Request.Headers[''Authorization'']' {
        $Context = New-TestContext -Authorization "Bearer $script:OldToken"
        $renewed = $script:Builder | Update-KrJWT -FromContext
        $renewed | Should -BeOfType ([string])
        (Get-TestTokenPayload $renewed)['sub'] | Should -Be 'admin'
        Test-KrJWT -Token $renewed -ValidationParameter $script:Validation | Should -BeTrue
    }

    It 'matches the scheme case-insensitively and trims whitespace (<Header>)' -TestCases @(
        @{ Header = 'bearer {0}' }, @{ Header = 'BEARER {0}' }, @{ Header = 'Bearer    {0}   ' },
        @{ Header = '  Bearer {0}' }, @{ Header = "Bearer`t{0}" }
    ) {
        param($Header)
        $Context = New-TestContext -Authorization ($Header -f $script:OldToken)
        (Get-TestTokenPayload ($script:Builder | Update-KrJWT -FromContext))['sub'] | Should -Be 'admin'
    }

    It 'finds the header name in any case (<Name>)' -TestCases @(@{ Name = 'authorization' }, @{ Name = 'AUTHORIZATION' }) {
        param($Name)
        $headers = [System.Collections.Generic.Dictionary[string, string]]::new()   # case-sensitive keys
        $headers[$Name] = "Bearer $script:OldToken"
        $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = $headers } }
        $script:Builder | Update-KrJWT -FromContext | Should -Not -BeNullOrEmpty
    }

    It 'reads NameValueCollection headers (HttpListenerRequest.Headers)' {
        $headers = [System.Net.WebHeaderCollection]::new()
        $headers.Add('Authorization', "Bearer $script:OldToken")
        $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = $headers } }
        $script:Builder | Update-KrJWT -FromContext | Should -Not -BeNullOrEmpty
    }

    It 'reads hashtable contexts and several header values (the first bearer value wins)' {
        $Context = @{ Request = @{ Headers = @{ Authorization = [string[]] @("Bearer $script:OldToken", 'Basic xyz') } } }
        $script:Builder | Update-KrJWT -FromContext | Should -Not -BeNullOrEmpty
    }

    It 'reads a request''s own Authorization property when there are no Headers' {
        $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Authorization = "Bearer $script:OldToken" } }
        $script:Builder | Update-KrJWT -FromContext | Should -Not -BeNullOrEmpty
    }

    It 'sees $Context of a parent scope (a route calling a helper function)' {
        function Invoke-Renew { $script:Builder | Update-KrJWT -FromContext }
        $Context = New-TestContext -Authorization "Bearer $script:OldToken"
        Invoke-Renew | Should -Not -BeNullOrEmpty
    }

    It 'honours -Lifetime' {
        $Context = New-TestContext -Authorization "Bearer $script:OldToken"
        $payload = Get-TestTokenPayload ($script:Builder | Update-KrJWT -FromContext -Lifetime ([TimeSpan]::FromSeconds(90)))
        ($payload['exp'] - $payload['iat']) | Should -Be 90
    }

    It 'writes a non-terminating KrJwt.NoBearerToken error and no output when <Case>' -TestCases @(
        @{ Case = 'the header is missing'; Context = { New-TestContext -NoHeader } },
        @{ Case = 'the header is empty'; Context = { New-TestContext -Authorization '' } },
        @{ Case = 'the header is $null'; Context = { New-TestContext -Authorization $null } },
        @{ Case = 'the scheme is Basic'; Context = { New-TestContext -Authorization 'Basic YWRtaW46cGFzc3dvcmQ=' } },
        @{ Case = 'the token is empty'; Context = { New-TestContext -Authorization 'Bearer    ' } },
        @{ Case = 'the scheme is glued to the token'; Context = { New-TestContext -Authorization "Bearer$script:OldToken" } },
        @{ Case = 'there is no Request'; Context = { [pscustomobject]@{ Response = 1 } } },
        @{ Case = 'there is no $Context'; Context = { $null } }
    ) {
        param($Case, $Context)
        $Context = & $Context
        $errors = $null
        $out = @($script:Builder | Update-KrJWT -FromContext -ErrorVariable errors -ErrorAction SilentlyContinue)
        $out | Should -HaveCount 0
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'KrJwt.NoBearerToken,*'
        $errors[0].CategoryInfo.Category.ToString() | Should -Be 'AuthenticationError'
        $errors[0].Exception.Message | Should -Match 'bearer token'
    }

    It 'continues the pipeline after the non-terminating error' {
        $Context = New-TestContext -NoHeader
        $errors = $null
        $after = & { $script:Builder | Update-KrJWT -FromContext -ErrorVariable errors -ErrorAction SilentlyContinue; 'next' }
        $after | Should -Be 'next'
        $errors | Should -HaveCount 1
    }

    It 'stops with -ErrorAction Stop' {
        $Context = New-TestContext -NoHeader
        { $script:Builder | Update-KrJWT -FromContext -ErrorAction Stop } | Should -Throw -ErrorId 'KrJwt.NoBearerToken,*'
    }

    It 'refuses a forged bearer token with a non-terminating KrJwt.InvalidToken error, like a missing one' {
        $Context = New-TestContext -Authorization ("Bearer " + (Set-TestTokenSegment -Token $script:OldToken -Index 1 -Json '{"sub":"mallory"}'))
        $errors = $null
        $out = @(. { $script:Builder | Update-KrJWT -FromContext -ErrorVariable errors -ErrorAction SilentlyContinue; 'next' })
        $out | Should -Be @('next')
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'KrJwt.InvalidToken,*'
        $errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
        $errors[0].Exception.Message | Should -Match 'InvalidSignature'
        { $script:Builder | Update-KrJWT -FromContext -ErrorAction Stop } | Should -Throw -ErrorId 'KrJwt.InvalidToken,*'
    }
}

Describe 'Seed guide: §4.9 and §5 issue & renew snippet' {
    It 'runs the snippet with a route-like $Context' {
        $jwtBuilder = New-KrJWTBuilder |
            Add-KrJWTIssuer -Issuer 'KestrunApi' |
            Add-KrJWTAudience -Audience 'KestrunClients' |
            Protect-KrJWT -HexadecimalKey (New-TestHexKey 32) -Algorithm HS256

        # '/token/new' (Basic-authenticated: $Context.User.Identity.Name is the user)
        $Context = [pscustomobject]@{
            User    = [pscustomobject]@{ Identity = [pscustomobject]@{ Name = 'admin' } }
            Request = [pscustomobject]@{ Headers = @{ Authorization = 'Basic YWRtaW46cGFzc3dvcmQ=' } }
        }
        $build = Copy-KrJWTTokenBuilder -Builder $jwtBuilder |
          Add-KrJWTSubject -Subject $Context.User.Identity.Name |
          Add-KrJWTClaim -UserClaimType Name -Value $Context.User.Identity.Name |
          Add-KrJWTClaim -UserClaimType Role -Value 'admin' |
          Build-KrJWT
        $response = @{ access_token = ($build | Get-KrJWTToken); expires = $build.Expires }

        # '/token/renew' (Bearer)
        $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "Bearer $($response.access_token)" } } }
        $newToken = $jwtBuilder | Update-KrJWT -FromContext
        $renewResponse = @{ access_token = $newToken }

        # §4.9
        $refresh = $jwtBuilder | Update-KrJWT -FromContext

        $response.expires | Should -BeOfType ([datetime])
        $renewResponse.access_token | Should -Not -BeNullOrEmpty
        $refresh | Should -Not -BeNullOrEmpty
        $payload = Get-TestTokenPayload $renewResponse.access_token
        $payload['sub'] | Should -Be 'admin'
        $payload['unique_name'] | Should -Be 'admin'
        $payload['role'] | Should -Be 'admin'
        $payload['aud'] | Should -Be 'KestrunClients'
        Test-KrJWT -Token $newToken -ValidationParameter ($build | Get-KrJWTValidationParameter) | Should -BeTrue
    }
}
