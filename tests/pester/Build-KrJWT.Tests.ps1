# Build-KrJWT and Get-KrJWTToken: the result object and the token string.

Describe 'Build-KrJWT' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))
        $script:Builder = New-TestBuilder -Issuer 'KestrunApi' -Audience 'KestrunClients' |
            Add-KrJWTSubject -Subject 'admin' |
            Add-KrJWTClaim -UserClaimType Name -Value 'admin' |
            Add-KrJWTClaim -UserClaimType Role -Value 'admin' |
            Add-KrJWTClaim -ClaimType 'n' -JsonValue '7' |
            Add-KrJWTHeader -Name 'x-test' -Value 'yes'
        $script:Result = $script:Builder | Build-KrJWT
    }

    It 'returns a result holding a compact JWS' {
        $script:Result | Should -BeOfType ([KrJwt.JwtBuilderResult])
        $script:Result.Token.Split('.') | Should -HaveCount 3
        $script:Result.IsEncrypted | Should -BeFalse
    }

    It 'binds Builder by position (0)' {
        (Build-KrJWT $script:Builder).Token.Split('.') | Should -HaveCount 3
    }

    It 'exposes what the token says: Algorithm, KeyId, Issuer, Audiences, Subject' {
        $header = Get-TestTokenHeader $script:Result.Token
        $script:Result.Algorithm | Should -Be 'HS256'
        $script:Result.KeyId | Should -Be $header['kid']
        $script:Result.Issuer | Should -Be 'KestrunApi'
        $script:Result.Audiences | Should -BeOfType ([string])
        ($script:Result.Audiences -join ',') | Should -Be 'KestrunClients'
        $script:Result.Subject | Should -Be 'admin'
    }

    It 'exposes the real iat, nbf and exp as UTC DateTimes' {
        $p = Get-TestTokenPayload $script:Result.Token
        $script:Result.IssuedAt | Should -BeOfType ([datetime])
        $script:Result.IssuedAt.Kind.ToString() | Should -Be 'Utc'
        (ConvertTo-TestUnixTime $script:Result.IssuedAt) | Should -Be $p['iat']
        (ConvertTo-TestUnixTime $script:Result.NotBefore) | Should -Be $p['nbf']
        (ConvertTo-TestUnixTime $script:Result.Expires) | Should -Be $p['exp']
        ($script:Result.Expires - $script:Result.NotBefore) | Should -Be ([TimeSpan]::FromHours(1))
        [Math]::Abs(($script:Result.IssuedAt - [DateTime]::UtcNow).TotalSeconds) | Should -BeLessThan 60
    }

    It 'exposes Header and Claims as ordered dictionaries with JSON types kept' {
        $script:Result.Header | Should -BeOfType ([System.Collections.Specialized.OrderedDictionary])
        $script:Result.Header['alg'] | Should -Be 'HS256'
        $script:Result.Header['x-test'] | Should -Be 'yes'
        $script:Result.Claims['unique_name'] | Should -Be 'admin'
        $script:Result.Claims['role'] | Should -Be 'admin'
        $script:Result.Claims['n'] | Should -BeOfType ([long])
        $script:Result.Claims['exp'] | Should -BeOfType ([long])
        $script:Result.Claims['aud'] | Should -Be 'KestrunClients'
    }

    It 'exposes Payload as the exact JSON of the token payload' {
        $payloadText = [System.Text.Encoding]::UTF8.GetString((ConvertFrom-TestBase64Url $script:Result.Token.Split('.')[1]))
        $script:Result.Payload | Should -BeExactly $payloadText
    }

    It 'turns into the token in a string' {
        "$($script:Result)" | Should -BeExactly $script:Result.Token
        $script:Result.ToString() | Should -BeExactly $script:Result.Token
    }

    It 'gives its properties copies: changing Claims does not change the result' {
        $claims = $script:Result.Claims
        $claims['role'] = 'tampered'
        $script:Result.Claims['role'] | Should -Be 'admin'
    }

    It 'can build many times from one builder without changing it' {
        $before = $script:Builder.Describe()
        $one = $script:Builder | Build-KrJWT
        $two = $script:Builder | Build-KrJWT
        $script:Builder.Describe() | Should -Be $before
        $one.Claims['sub'] | Should -Be $two.Claims['sub']
        Test-KrJWT -Result $one -Token $two.Token | Should -BeTrue
    }

    It 'fails without a signing key with ErrorId KrJwt.InvalidState' {
        { New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'x' | Build-KrJWT } |
            Should -Throw -ErrorId 'KrJwt.InvalidState,*' -ExpectedMessage '*Protect-KrJWT*'
    }

    It 'fails cleanly on a disposed builder' {
        $b = New-TestBuilder
        $b.Dispose()
        { $b | Build-KrJWT } | Should -Throw -ErrorId 'KrJwt.ObjectDisposed,*'
    }
}

Describe 'Get-KrJWTToken' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))
        $script:Result = New-TestBuilder | Build-KrJWT
    }

    It 'returns the token string from the pipeline' {
        $token = $script:Result | Get-KrJWTToken
        $token | Should -BeOfType ([string])
        $token | Should -BeExactly $script:Result.Token
    }

    It 'binds Result by position (0)' {
        Get-KrJWTToken $script:Result | Should -BeExactly $script:Result.Token
    }

    It 'processes several results from the pipeline' {
        $other = New-TestBuilder | Build-KrJWT
        $tokens = @($script:Result, $other | Get-KrJWTToken)
        $tokens | Should -HaveCount 2
        $tokens[1] | Should -BeExactly $other.Token
    }
}
