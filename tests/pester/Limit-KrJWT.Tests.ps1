# Limit-KrJWTValidity (sets TimeSpan, Discrete) and Limit-KrJWTNotBefore (sets UtcBefore, Relative).

Describe 'Limit-KrJWTValidity' {
    BeforeAll { . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1')) }

    It 'has TimeSpan as its default parameter set' {
        (Get-Command Limit-KrJWTValidity).DefaultParameterSet | Should -Be 'TimeSpan'
    }

    It 'sets the lifetime from -Lifetime and returns the same builder' {
        $b = New-TestBuilder
        $out = $b | Limit-KrJWTValidity -Lifetime ([TimeSpan]::FromMinutes(15))
        [object]::ReferenceEquals($out.psobject.BaseObject, $b.psobject.BaseObject) | Should -BeTrue
        $b.Lifetime | Should -Be ([TimeSpan]::FromMinutes(15))
        $r = $b | Build-KrJWT
        $p = Get-TestTokenPayload $r.Token
        ($p['exp'] - $p['nbf']) | Should -Be 900
        ($r.Expires - $r.NotBefore) | Should -Be ([TimeSpan]::FromMinutes(15))
    }

    It 'adds up -Hours, -Minutes and -Seconds (Discrete), fractions allowed' {
        $b = New-TestBuilder | Limit-KrJWTValidity -Hours 1 -Minutes 30 -Seconds 15
        $b.Lifetime | Should -Be ([TimeSpan]::FromSeconds(5415))
        ($b | Limit-KrJWTValidity -Minutes 0.5).Lifetime | Should -Be ([TimeSpan]::FromSeconds(30))
        $p = Get-TestTokenPayload ($b | Build-KrJWT).Token
        ($p['exp'] - $p['nbf']) | Should -Be 30
    }

    It 'rejects negative discrete values at binding' {
        { New-TestBuilder | Limit-KrJWTValidity -Minutes -1 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'rejects a zero lifetime with a clear message' {
        { New-TestBuilder | Limit-KrJWTValidity -Seconds 0 } | Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*lifetime*'
        { New-TestBuilder | Limit-KrJWTValidity -Lifetime ([TimeSpan]::Zero) } | Should -Throw -ErrorId 'KrJwt.InvalidArgument,*'
    }

    It 'adds the module''s advice to the library''s message' {
        { New-TestBuilder | Limit-KrJWTValidity -Seconds 0 } |
            Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*lifetime must be positive*Give a lifetime such as -Minutes 30.'
    }

    It 'cannot mix -Lifetime with discrete values' {
        { New-TestBuilder | Limit-KrJWTValidity -Lifetime ([TimeSpan]::FromMinutes(1)) -Minutes 2 } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
    }
}

Describe 'Limit-KrJWTNotBefore' {
    BeforeAll { . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1')) }

    It 'has UtcBefore as its default parameter set' {
        (Get-Command Limit-KrJWTNotBefore).DefaultParameterSet | Should -Be 'UtcBefore'
    }

    It 'sets an absolute UTC not-before time (-UtcBefore) and exp follows it' {
        $when = [DateTime]::UtcNow.AddMinutes(30)
        $b = New-TestBuilder | Limit-KrJWTNotBefore -UtcBefore $when
        $r = $b | Build-KrJWT
        $p = Get-TestTokenPayload $r.Token
        $p['nbf'] | Should -Be (ConvertTo-TestUnixTime $when)
        ($p['exp'] - $p['nbf']) | Should -Be 3600
        [Math]::Abs($p['iat'] - (ConvertTo-TestUnixTime ([DateTime]::UtcNow))) | Should -BeLessThan 5
        $r.NotBefore.Kind.ToString() | Should -Be 'Utc'
        $r.NotBefore | Should -Be ([DateTime]::UnixEpoch.AddSeconds($p['nbf']))
    }

    It 'binds Builder and UtcBefore by position (0, 1)' {
        $when = [DateTime]::UtcNow.AddHours(2)
        $b = New-TestBuilder
        Limit-KrJWTNotBefore $b $when | Out-Null
        ConvertTo-TestUnixTime $b.NotBefore | Should -Be (ConvertTo-TestUnixTime $when)
    }

    It 'converts a local time to UTC' {
        $local = [DateTime]::Now.AddMinutes(45)
        $b = New-TestBuilder | Limit-KrJWTNotBefore -UtcBefore $local
        (Get-TestTokenPayload ($b | Build-KrJWT).Token)['nbf'] | Should -Be (ConvertTo-TestUnixTime $local.ToUniversalTime())
    }

    It 'takes a time without a kind as UTC' {
        $unspecified = [DateTime]::SpecifyKind([DateTime]::UtcNow.AddMinutes(20), [DateTimeKind]::Unspecified)
        $b = New-TestBuilder | Limit-KrJWTNotBefore -UtcBefore $unspecified
        $expected = [DateTimeOffset]::new([DateTime]::SpecifyKind($unspecified, [DateTimeKind]::Utc)).ToUnixTimeSeconds()
        (Get-TestTokenPayload ($b | Build-KrJWT).Token)['nbf'] | Should -Be $expected
    }

    It 'cannot start validity in the past: nbf is at least the build time' {
        $b = New-TestBuilder | Limit-KrJWTNotBefore -UtcBefore ([DateTime]::UtcNow.AddHours(-2))
        $p = Get-TestTokenPayload ($b | Build-KrJWT).Token
        [Math]::Abs($p['nbf'] - (ConvertTo-TestUnixTime ([DateTime]::UtcNow))) | Should -BeLessThan 5
    }

    It 'delays validity relative to each build with -Seconds / -Minutes (Relative)' {
        $b = New-TestBuilder | Limit-KrJWTNotBefore -Minutes 10
        $b.NotBeforeOffset | Should -Be ([TimeSpan]::FromMinutes(10))
        $p = Get-TestTokenPayload ($b | Build-KrJWT).Token
        ($p['nbf'] - $p['iat']) | Should -Be 600
        ($p['exp'] - $p['nbf']) | Should -Be 3600

        $b2 = New-TestBuilder | Limit-KrJWTNotBefore -Seconds 5
        $p2 = Get-TestTokenPayload ($b2 | Build-KrJWT).Token
        ($p2['nbf'] - $p2['iat']) | Should -Be 5

        $b3 = New-TestBuilder | Limit-KrJWTNotBefore -Minutes 1 -Seconds 30
        $b3.NotBeforeOffset | Should -Be ([TimeSpan]::FromSeconds(90))
    }

    It 'does not change the builder when building' {
        $b = New-TestBuilder | Limit-KrJWTNotBefore -Seconds 5
        $before = $b.Describe()
        $b | Build-KrJWT | Out-Null
        $b.Describe() | Should -Be $before
    }

    It 'rejects negative relative values at binding' {
        { New-TestBuilder | Limit-KrJWTNotBefore -Seconds -5 } | Should -Throw -ErrorId 'ParameterArgumentValidationError,*'
    }

    It 'cannot mix -UtcBefore with -Seconds' {
        { New-TestBuilder | Limit-KrJWTNotBefore -UtcBefore ([DateTime]::UtcNow) -Seconds 5 } | Should -Throw -ErrorId 'AmbiguousParameterSet,*'
    }
}
