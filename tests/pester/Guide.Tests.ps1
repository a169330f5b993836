# The seed guide's examples (seeds/jwt-guide.md), as written. Departure: $Context is a stand-in for the
# route variable of §4.8 and §4.9.

Describe 'JWT guide examples' {
    BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }

    It '§3 Minimal issue + validate example' {
        # Build configuration
        $builder = New-KrJWTBuilder |
          Add-KrJWTIssuer -Issuer 'DemoIssuer' |
          Add-KrJWTAudience -Audience 'DemoAudience' |
          Protect-KrJWT -HexadecimalKey ( -join ((0..63) | ForEach-Object { '{0:x}' -f (Get-Random -Max 16) }) ) -Algorithm HS256 |
          Limit-KrJWTValidity -Minutes 30

        $built = $builder | Add-KrJWTSubject -Subject 'user1' | Add-KrJWTClaim -UserClaimType Name -Value 'user1' | Build-KrJWT
        $token = $built | Get-KrJWTToken

        # Prepare validation parameters (for bearer scheme)
        $validation = $built | Get-KrJWTValidationParameter
        Add-KrJWTBearerAuthentication -Name 'Bearer' -ValidationParameter $validation

        $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "Bearer $token" } } }
        Test-KrJWT -FromContext -Scheme 'Bearer' | Should -BeTrue
        $token.Split('.') | Should -HaveCount 3
        $built.Algorithm | Should -Be 'HS256'
        $built.Claims['unique_name'] | Should -Be 'user1'
        $built.Claims['sub'] | Should -Be 'user1'
        ($built.Expires - $built.NotBefore) | Should -Be ([TimeSpan]::FromMinutes(30))
        $validation | Should -BeOfType ([KrJwt.JwtValidationParameters])
        Test-KrJWT -Token $token -ValidationParameter $validation | Should -BeTrue
    }

    Context '§4 Detailed cmdlet pipeline' {
        BeforeAll {
            # 4.1 Create builder / 4.2 Issuer & audiences
            $script:b = New-KrJWTBuilder |
              Add-KrJWTIssuer -Issuer 'IssuerA' |
              Add-KrJWTAudience -Audience 'ClientA' |
              Add-KrJWTAudience -Audience 'ClientB'

            # 4.3 Protect (sign) the token
            $script:b = $script:b | Protect-KrJWT -HexadecimalKey 'a0b1c2d3e4f5061728394a5b6c7d8e9fa1b2c3d4e5f60718293a4b5c6d7e8f90' -Algorithm HS256

            # 4.4 Lifetime & temporal claims
            $script:b = $script:b |
              Limit-KrJWTValidity -Minutes 15 |
              Limit-KrJWTNotBefore -Seconds 5 # token not valid for first 5 seconds

            # 4.5 Subject & claims
            $script:b = $script:b |
              Add-KrJWTSubject -Subject 'user42' |
              Add-KrJWTClaim -UserClaimType Name -Value 'user42' |
              Add-KrJWTClaim -UserClaimType Role -Value 'admin'
            $script:b = $script:b | Add-KrJWTClaim -ClaimType 'region' -Value 'us-east-1'

            # 4.6 Build & extract
            $script:result = $script:b | Build-KrJWT
            $script:jwtString = $script:result | Get-KrJWTToken

            # 4.7 Validation parameters
            $script:validation = $script:result | Get-KrJWTValidationParameter
        }

        It '4.1 New-KrJWTBuilder and its legacy alias return builders' {
            New-KrJWTBuilder | Should -BeOfType ([KrJwt.JwtTokenBuilder])
            New-KrJWTTokenBuilder | Should -BeOfType ([KrJwt.JwtTokenBuilder])
        }

        It '4.2 one issuer and two audiences' {
            $script:b.Issuer | Should -Be 'IssuerA'
            ($script:b.Audiences -join ',') | Should -Be 'ClientA,ClientB'
            ($script:result.Audiences -join ',') | Should -Be 'ClientA,ClientB'
        }

        It '4.3 HS256 with the guide''s hex key' {
            $script:b.Algorithm | Should -Be 'HS256'
            (Get-TestTokenHeader $script:jwtString)['alg'] | Should -Be 'HS256'
        }

        It '4.4 fifteen minutes of validity, starting five seconds after the build' {
            $p = Get-TestTokenPayload $script:jwtString
            ($p['nbf'] - $p['iat']) | Should -Be 5
            ($p['exp'] - $p['nbf']) | Should -Be 900
        }

        It '4.5 subject, identity claims and the custom claim' {
            $p = Get-TestTokenPayload $script:jwtString
            $p['sub'] | Should -Be 'user42'
            $p['unique_name'] | Should -Be 'user42'
            $p['role'] | Should -Be 'admin'
            $p['region'] | Should -Be 'us-east-1'
        }

        It '4.6 the result exposes Issuer, Audiences, Expires, NotBefore, Algorithm, Claims, Header, Payload' {
            $script:jwtString | Should -BeOfType ([string])
            $script:result.Issuer | Should -Be 'IssuerA'
            $script:result.Audiences | Should -HaveCount 2
            $script:result.Expires | Should -BeOfType ([datetime])
            $script:result.NotBefore | Should -BeOfType ([datetime])
            $script:result.Algorithm | Should -Be 'HS256'
            $script:result.Claims['region'] | Should -Be 'us-east-1'
            $script:result.Header['typ'] | Should -Be 'JWT'
            $script:result.Payload | Should -Match '"region":"us-east-1"'
        }

        It '4.7 validation parameters from the result' {
            $script:validation | Should -BeOfType ([KrJwt.JwtValidationParameters])
            ($script:validation.Issuers -join ',') | Should -Be 'IssuerA'
        }

        It '4.8 Copy & mutate per-request' {
            $Context = [pscustomobject]@{ User = [System.Security.Claims.ClaimsPrincipal]::new(
                    [System.Security.Claims.ClaimsIdentity]::new(
                        [System.Security.Claims.Claim[]]@([System.Security.Claims.Claim]::new('name', 'admin')), 'Basic', 'name', 'role')) }
            $b = $script:b

            $token = Copy-KrJWTTokenBuilder -Builder $b |
              Add-KrJWTSubject -Subject $Context.User.Identity.Name |
              Add-KrJWTClaim -UserClaimType Role -Value 'admin' |
              Build-KrJWT | Get-KrJWTToken

            $token | Should -BeOfType ([string])
            (Get-TestTokenPayload $token)['sub'] | Should -Be 'admin'
            # The template is untouched by the per-request changes.
            $script:b.Subject | Should -Be 'user42'
            @($script:b.Claims | Where-Object { $_.Type -eq 'role' }) | Should -HaveCount 1
        }

        It '4.7 Add-KrJWTBearerAuthentication -Name ''Bearer'' -ValidationParameter $validation' {
            $validation = $script:validation
            Add-KrJWTBearerAuthentication -Name 'Bearer' -ValidationParameter $validation
            $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "Bearer $($script:jwtString)" } } }
            # The token is not valid for its first five seconds (4.4), which the default skew covers.
            Test-KrJWT -FromContext -Scheme 'Bearer' | Should -BeTrue
        }

        It '4.9 Update-KrJWT -FromContext re-issues the caller''s token' {
            $b = $script:b
            $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "Bearer $($script:jwtString)" } } }
            $refresh = $b | Update-KrJWT -FromContext
            $refresh | Should -BeOfType ([string])
            (Get-TestTokenPayload $refresh)['sub'] | Should -Be 'user42'
            Test-KrJWT -Token $refresh -ValidationParameter $script:validation | Should -BeTrue
        }

        It '4.10 Get-KrJWTInfo -Token $jwtString (decode without validating)' {
            $jwtString = $script:jwtString
            $shown = Get-KrJWTInfo -Token $jwtString | Format-List * | Out-String
            $shown | Should -Match 'Issuer\s+: IssuerA'
            $shown | Should -Match 'region'
            $info = Get-KrJWTInfo -Token $jwtString
            $info.Issuer | Should -Be 'IssuerA'
            $info.Claims['region'] | Should -Be 'us-east-1'
        }

        It '4.10 Test-KrJWT -Token $jwtString -ValidationParameter $validation' {
            $jwtString = $script:jwtString
            $validation = $script:validation
            Test-KrJWT -Token $jwtString -ValidationParameter $validation | Should -BeTrue
        }
    }
}
