# Add-KrJWTClaim: parameter sets ClaimType (default), UserClaimType and JsonValue.

Describe 'Add-KrJWTClaim' {
    BeforeAll { . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1')) }

    It 'has ClaimType as its default parameter set' {
        (Get-Command Add-KrJWTClaim).DefaultParameterSet | Should -Be 'ClaimType'
        @((Get-Command Add-KrJWTClaim).ParameterSets | ForEach-Object Name) | Should -Contain 'UserClaimType'
        @((Get-Command Add-KrJWTClaim).ParameterSets | ForEach-Object Name) | Should -Contain 'JsonValue'
    }

    It 'adds a custom claim as a string and returns the same builder' {
        $b = New-TestBuilder
        $out = $b | Add-KrJWTClaim -ClaimType 'region' -Value 'us-east-1'
        [object]::ReferenceEquals($out.psobject.BaseObject, $b.psobject.BaseObject) | Should -BeTrue
        $payload = Get-TestTokenPayload ($b | Build-KrJWT).Token
        $payload['region'] | Should -Be 'us-east-1'
    }

    It 'round-trips non-ASCII text (UTF-8 across the boundary)' {
        $text = "Zo`u{00EB} `u{65E5}`u{672C} `u{1F511}"
        $r = New-TestBuilder | Add-KrJWTClaim -ClaimType 'name' -Value $text | Build-KrJWT
        (Get-TestTokenPayload $r.Token)['name'] | Should -BeExactly $text
        $r.Claims['name'] | Should -BeExactly $text
    }

    It 'keeps values as strings, as the reference does (-Value 123 gives "123")' {
        $payload = Get-TestTokenPayload (New-TestBuilder | Add-KrJWTClaim -ClaimType 'ten' -Value 123 | Build-KrJWT).Token
        $payload['ten'] | Should -BeOfType ([string])
        $payload['ten'] | Should -Be '123'
    }

    It 'turns several values of one type into a JSON array, in order' {
        $r = New-TestBuilder |
            Add-KrJWTClaim -UserClaimType Role -Value 'admin' |
            Add-KrJWTClaim -UserClaimType Role -Value 'user' |
            Build-KrJWT
        $roles = (Get-TestTokenPayload $r.Token)['role']
        $roles | Should -HaveCount 2
        ($roles -join ',') | Should -Be 'admin,user'
        ($r.Claims['role'] -join ',') | Should -Be 'admin,user'
    }

    It 'maps -UserClaimType <Member> to the JWT key <Key>' -TestCases @(
        @{ Member = 'Name'; Key = 'unique_name' },
        @{ Member = 'Role'; Key = 'role' },
        @{ Member = 'Actor'; Key = 'actort' },
        @{ Member = 'EmailAddress'; Key = 'email' },
        @{ Member = 'NameIdentifier'; Key = 'nameid' },
        @{ Member = 'GivenName'; Key = 'given_name' },
        @{ Member = 'Surname'; Key = 'family_name' },
        @{ Member = 'Upn'; Key = 'upn' },
        @{ Member = 'Email'; Key = 'http://schemas.microsoft.com/ws/2008/06/identity/claims/email' },
        @{ Member = 'Country'; Key = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/country' },
        @{ Member = 'WindowsSid'; Key = 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/windowsid' }
    ) {
        param($Member, $Key)
        $r = New-TestBuilder | Add-KrJWTClaim -UserClaimType $Member -Value 'v' | Build-KrJWT
        $payload = Get-TestTokenPayload $r.Token
        $payload.Contains($Key) | Should -BeTrue
        $payload[$Key] | Should -Be 'v'
        $payload.Contains('') | Should -BeFalse
    }

    It 'accepts every UserIdentityClaim member' {
        $b = New-TestBuilder
        foreach ($member in [Enum]::GetValues([KrJwt.UserIdentityClaim])) {
            $b | Add-KrJWTClaim -UserClaimType $member -Value "$member" | Out-Null
        }
        @($b.Claims).Count | Should -Be 57
        $payload = Get-TestTokenPayload ($b | Build-KrJWT).Token
        $payload['actort'] | Should -Be 'Actor'
        $payload['primarysid'] | Should -Be 'PrimarySid'
    }

    It 'accepts the enum value itself and is case-insensitive on names' {
        $r = New-TestBuilder |
            Add-KrJWTClaim -UserClaimType ([KrJwt.UserIdentityClaim]::Name) -Value 'a' |
            Add-KrJWTClaim -UserClaimType 'role' -Value 'b' |
            Build-KrJWT
        $payload = Get-TestTokenPayload $r.Token
        $payload['unique_name'] | Should -Be 'a'
        $payload['role'] | Should -Be 'b'
    }

    It 'shortens a long claim-type URI given with -ClaimType' {
        $r = New-TestBuilder | Add-KrJWTClaim -ClaimType 'http://schemas.microsoft.com/ws/2008/06/identity/claims/role' -Value 'admin' | Build-KrJWT
        (Get-TestTokenPayload $r.Token)['role'] | Should -Be 'admin'
    }

    It 'adds typed JSON values with -JsonValue (<Json>)' -TestCases @(
        @{ Json = '42'; Check = { param($v) $v -is [long] -and $v -eq 42 } },
        @{ Json = 'true'; Check = { param($v) $v -is [bool] -and $v } },
        @{ Json = '1.5'; Check = { param($v) $v -is [double] -and $v -eq 1.5 } },
        @{ Json = '["a","b"]'; Check = { param($v) ($v -join ',') -eq 'a,b' } },
        @{ Json = '{"k":"v"}'; Check = { param($v) $v['k'] -eq 'v' } },
        @{ Json = '"text"'; Check = { param($v) $v -is [string] -and $v -eq 'text' } }
    ) {
        param($Json, $Check)
        $r = New-TestBuilder | Add-KrJWTClaim -ClaimType 'typed' -JsonValue $Json | Build-KrJWT
        $fromToken = (Get-TestTokenPayload $r.Token)['typed']
        (& $Check $fromToken) | Should -BeTrue
        (& $Check $r.Claims['typed']) | Should -BeTrue
    }

    It 'rejects invalid JSON with a clear error and ErrorId KrJwt.InvalidJson' {
        { New-TestBuilder | Add-KrJWTClaim -ClaimType 'bad' -JsonValue '{not json' } |
            Should -Throw -ErrorId 'KrJwt.InvalidJson,*' -ExpectedMessage '*not valid JSON*'
    }

    It 'refuses the times the builder computes, naming the cmdlets that set them' -TestCases @(
        @{ Claim = 'exp' }, @{ Claim = 'nbf' }, @{ Claim = 'iat' }
    ) {
        param($Claim)
        { New-TestBuilder | Add-KrJWTClaim -ClaimType $Claim -Value '1' } |
            Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage "*'$Claim' claim is computed when the token is built*Limit-KrJWTValidity or Limit-KrJWTNotBefore*"
    }

    It 'cannot mix -UserClaimType and -ClaimType' {
        { New-TestBuilder | Add-KrJWTClaim -ClaimType 'x' -UserClaimType Role -Value 'v' } |
            Should -Throw -ErrorId 'AmbiguousParameterSet,*'
    }

    It 'rejects an unknown -UserClaimType at binding, naming the members' {
        { New-TestBuilder | Add-KrJWTClaim -UserClaimType 'NotAClaim' -Value 'v' } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,*' -ExpectedMessage '*not a UserIdentityClaim member*EmailAddress*-ClaimType*'
        { New-TestBuilder | Add-KrJWTClaim -UserClaimType 'Email,Role' -Value 'v' } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,*'
        { New-TestBuilder | Add-KrJWTClaim -UserClaimType 999 -Value 'v' } |
            Should -Throw -ErrorId 'ParameterArgumentTransformationError,*'
    }
}
