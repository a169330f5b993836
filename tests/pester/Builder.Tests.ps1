# New-KrJWTBuilder, Copy-KrJWTTokenBuilder, Add-KrJWTIssuer, Add-KrJWTAudience, Add-KrJWTSubject.

Describe 'New-KrJWTBuilder' {
    BeforeAll { . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1')) }

    It 'returns an empty, unsigned builder with a one-hour lifetime' {
        $b = New-KrJWTBuilder
        $b | Should -BeOfType ([KrJwt.JwtTokenBuilder])
        $b.Issuer | Should -BeNullOrEmpty
        @($b.Audiences).Count | Should -Be 0
        $b.Subject | Should -BeNullOrEmpty
        @($b.Claims).Count | Should -Be 0
        $b.Headers.Count | Should -Be 0
        $b.Lifetime | Should -Be ([TimeSpan]::FromHours(1))
        $b.IsSigned | Should -BeFalse
        $b.Algorithm | Should -BeNullOrEmpty
    }

    It 'returns a new builder on every call' {
        $a = New-KrJWTBuilder
        $b = New-KrJWTBuilder
        [object]::ReferenceEquals($a, $b) | Should -BeFalse
    }

    It 'is also available as New-KrJWTTokenBuilder' {
        New-KrJWTTokenBuilder | Should -BeOfType ([KrJwt.JwtTokenBuilder])
    }

    It 'never shows key material in its string form' {
        $key = New-TestHexKey 32
        $b = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'iss' | Protect-KrJWT -HexadecimalKey $key
        "$b" | Should -Match 'HS256'
        "$b" | Should -Not -Match $key
        $b.Describe() | Should -Not -Match $key
    }
}

Describe 'Add-KrJWTIssuer' {
    BeforeAll { . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1')) }

    It 'sets the issuer and returns the same builder (pipeline)' {
        $b = New-KrJWTBuilder
        $out = $b | Add-KrJWTIssuer -Issuer 'IssuerA'
        [object]::ReferenceEquals($out.psobject.BaseObject, $b.psobject.BaseObject) | Should -BeTrue
        $b.Issuer | Should -Be 'IssuerA'
    }

    It 'binds Builder and Issuer by position (0, 1)' {
        $b = New-KrJWTBuilder
        Add-KrJWTIssuer $b 'Positional' | Out-Null
        $b.Issuer | Should -Be 'Positional'
    }

    It 'replaces an earlier issuer' {
        $b = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'first' | Add-KrJWTIssuer -Issuer 'second'
        $b.Issuer | Should -Be 'second'
        $r = $b | Protect-KrJWT -HexadecimalKey (New-TestHexKey 32) | Build-KrJWT
        (Get-TestTokenPayload $r.Token)['iss'] | Should -Be 'second'
    }

    It 'rejects an empty issuer at binding' {
        { New-KrJWTBuilder | Add-KrJWTIssuer -Issuer '' } | Should -Throw -ErrorId 'ParameterArgumentValidationErrorEmptyStringNotAllowed,*'
    }
}

Describe 'Add-KrJWTAudience' {
    BeforeAll { . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1')) }

    It 'accumulates distinct audiences in order' {
        $b = New-KrJWTBuilder |
            Add-KrJWTAudience -Audience 'ClientA' |
            Add-KrJWTAudience -Audience 'ClientB' |
            Add-KrJWTAudience -Audience 'ClientA'
        ($b.Audiences -join ',') | Should -Be 'ClientA,ClientB'
        $r = $b | Protect-KrJWT -HexadecimalKey (New-TestHexKey 32) | Build-KrJWT
        ($r.Audiences -join ',') | Should -Be 'ClientA,ClientB'
        $aud = (Get-TestTokenPayload $r.Token)['aud']
        $aud | Should -HaveCount 2
        ($aud -join ',') | Should -Be 'ClientA,ClientB'
    }

    It 'writes a single audience as a JSON string' {
        $r = New-KrJWTBuilder | Add-KrJWTAudience -Audience 'Only' | Protect-KrJWT -HexadecimalKey (New-TestHexKey 32) | Build-KrJWT
        (Get-TestTokenPayload $r.Token)['aud'] | Should -BeOfType ([string])
        (Get-TestTokenPayload $r.Token)['aud'] | Should -Be 'Only'
    }

    It 'binds Builder and Audience by position (0, 1)' {
        $b = New-KrJWTBuilder
        $out = Add-KrJWTAudience $b 'Positional'
        [object]::ReferenceEquals($out.psobject.BaseObject, $b.psobject.BaseObject) | Should -BeTrue
        ($b.Audiences -join ',') | Should -Be 'Positional'
    }
}

Describe 'Add-KrJWTSubject' {
    BeforeAll { . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1')) }

    It 'sets the subject (pipeline) and it reaches the token' {
        $b = New-TestBuilder | Add-KrJWTSubject -Subject 'user42'
        $b.Subject | Should -Be 'user42'
        $r = $b | Build-KrJWT
        $r.Subject | Should -Be 'user42'
        (Get-TestTokenPayload $r.Token)['sub'] | Should -Be 'user42'
    }

    It 'binds Builder and Subject by position (0, 1)' {
        $b = New-KrJWTBuilder
        Add-KrJWTSubject $b 'positional' | Out-Null
        $b.Subject | Should -Be 'positional'
    }
}

Describe 'Copy-KrJWTTokenBuilder' {
    BeforeAll { . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1')) }

    It 'returns a new builder with the same content (pipeline)' {
        $template = New-TestBuilder -Issuer 'KestrunApi' -Audience 'KestrunClients' |
            Add-KrJWTClaim -ClaimType 'scope' -Value 'read' |
            Add-KrJWTHeader -Name 'x-template' -Value 'yes'
        $copy = $template | Copy-KrJWTTokenBuilder
        $copy | Should -BeOfType ([KrJwt.JwtTokenBuilder])
        [object]::ReferenceEquals($copy.psobject.BaseObject, $template.psobject.BaseObject) | Should -BeFalse
        $copy.Issuer | Should -Be 'KestrunApi'
        ($copy.Audiences -join ',') | Should -Be 'KestrunClients'
        $copy.IsSigned | Should -BeTrue
        $copy.Algorithm | Should -Be 'HS256'
        $copy.Headers['x-template'] | Should -Be 'yes'
        $copy.Claims | Should -HaveCount 1
    }

    It 'binds Builder by position (0)' {
        $template = New-TestBuilder
        $copy = Copy-KrJWTTokenBuilder $template
        $copy.Issuer | Should -Be $template.Issuer
    }

    It 'is deep: headers added to the copy stay out of the original, and the reverse' {
        $template = New-TestBuilder
        $copy = Copy-KrJWTTokenBuilder -Builder $template
        $copy | Add-KrJWTHeader -Name 'x-copy' -Value 1 | Out-Null
        $template | Add-KrJWTHeader -Name 'x-template' -Value 2 | Out-Null
        $template.Headers.Contains('x-copy') | Should -BeFalse
        $copy.Headers.Contains('x-template') | Should -BeFalse
        $t = $template | Build-KrJWT
        (Get-TestTokenHeader $t.Token).Contains('x-copy') | Should -BeFalse
    }

    It 'is deep: claims, subject, issuer and audiences are not shared' {
        $template = New-TestBuilder -Issuer 'orig'
        $copy = Copy-KrJWTTokenBuilder -Builder $template
        $copy | Add-KrJWTSubject -Subject 'alice' | Add-KrJWTClaim -UserClaimType Role -Value 'admin' |
            Add-KrJWTIssuer -Issuer 'changed' | Add-KrJWTAudience -Audience 'extra' | Out-Null
        $template | Add-KrJWTClaim -ClaimType 'later' -Value 'x' | Out-Null

        $template.Subject | Should -BeNullOrEmpty
        $template.Issuer | Should -Be 'orig'
        $template.Audiences | Should -HaveCount 1
        @($template.Claims | ForEach-Object Type) | Should -Not -Contain 'role'
        @($copy.Claims | ForEach-Object Type) | Should -Not -Contain 'later'
    }

    It 'keeps the signing key independent: re-protecting the copy leaves the original as it was' {
        $template = New-TestBuilder
        $copy = Copy-KrJWTTokenBuilder -Builder $template | Protect-KrJWT -HexadecimalKey (New-TestHexKey 64)
        $copy.Algorithm | Should -Be 'HS512'
        $template.Algorithm | Should -Be 'HS256'
    }
}
