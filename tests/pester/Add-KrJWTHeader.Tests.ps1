# Add-KrJWTHeader: custom JOSE header members, values converted to JSON by type.

Describe 'Add-KrJWTHeader' {
    BeforeAll { . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1')) }

    It 'sets a header that appears in the token header, returning the same builder' {
        $b = New-TestBuilder
        $out = $b | Add-KrJWTHeader -Name 'cty' -Value 'JWT'
        [object]::ReferenceEquals($out.psobject.BaseObject, $b.psobject.BaseObject) | Should -BeTrue
        $r = $b | Build-KrJWT
        (Get-TestTokenHeader $r.Token)['cty'] | Should -Be 'JWT'
        $r.Header['cty'] | Should -Be 'JWT'
        $r.Header['alg'] | Should -Be 'HS256'
    }

    It 'binds Builder, Name and Value by position (0, 1, 2)' {
        $b = New-TestBuilder
        Add-KrJWTHeader $b 'x-pos' 'value' | Out-Null
        $b.Headers['x-pos'] | Should -Be 'value'
    }

    It 'overwrites a header set again' {
        $b = New-TestBuilder | Add-KrJWTHeader -Name 'x-a' -Value 'one' | Add-KrJWTHeader -Name 'x-a' -Value 'two'
        (Get-TestTokenHeader ($b | Build-KrJWT).Token)['x-a'] | Should -Be 'two'
    }

    It 'writes <Kind> values with their JSON type' -TestCases @(
        @{ Kind = 'string'; Value = 'text'; Check = { param($v) $v -is [string] -and $v -eq 'text' } },
        @{ Kind = 'int'; Value = 42; Check = { param($v) $v -is [long] -and $v -eq 42 } },
        @{ Kind = 'long'; Value = 9007199254740993L; Check = { param($v) $v -eq 9007199254740993L } },
        @{ Kind = 'double'; Value = 2.5; Check = { param($v) $v -is [double] -and $v -eq 2.5 } },
        @{ Kind = 'bool'; Value = $true; Check = { param($v) $v -is [bool] -and $v } },
        @{ Kind = 'hashtable'; Value = @{ kty = 'EC'; crv = 'P-256' }; Check = { param($v) $v['kty'] -eq 'EC' -and $v['crv'] -eq 'P-256' } },
        @{ Kind = 'ordered'; Value = [ordered]@{ b = 1; a = @(1, 2) }; Check = { param($v) $v['b'] -eq 1 -and ($v['a'] -join ',') -eq '1,2' } },
        @{ Kind = 'array'; Value = @('x', 1, $false); Check = { param($v) $v.Count -eq 3 -and $v[0] -eq 'x' -and $v[1] -eq 1 -and $v[2] -eq $false } },
        @{ Kind = 'list'; Value = [System.Collections.Generic.List[string]]@('p', 'q'); Check = { param($v) ($v -join ',') -eq 'p,q' } },
        @{ Kind = 'DateTime (UTC)'; Value = [DateTime]::new(2030, 1, 2, 3, 4, 5, [DateTimeKind]::Utc); Check = { param($v) $v -eq '2030-01-02T03:04:05Z' } },
        @{ Kind = 'byte[]'; Value = [byte[]](1, 2, 3, 250); Check = { param($v) $v -eq 'AQID+g==' } },
        @{ Kind = 'pscustomobject'; Value = [pscustomobject]@{ n = 'v'; m = 2 }; Check = { param($v) $v['n'] -eq 'v' -and $v['m'] -eq 2 } }
    ) {
        param($Kind, $Value, $Check)
        $r = New-TestBuilder | Add-KrJWTHeader -Name 'x-value' -Value $Value | Build-KrJWT
        $header = Get-TestTokenHeader $r.Token
        (& $Check $header['x-value']) | Should -BeTrue
    }

    It 'converts a local DateTime to UTC' {
        $local = [DateTime]::new(2030, 6, 1, 12, 0, 0, [DateTimeKind]::Local)
        $expected = $local.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'")
        $r = New-TestBuilder | Add-KrJWTHeader -Name 'x-when' -Value $local | Build-KrJWT
        (Get-TestTokenHeader $r.Token)['x-when'] | Should -Be $expected
    }

    It 'refuses headers the library owns (alg) with ErrorId KrJwt.InvalidArgument' {
        { New-TestBuilder | Add-KrJWTHeader -Name 'alg' -Value 'none' } |
            Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage "*'alg'*"
    }

    It 'rejects a $null value at binding' {
        { New-TestBuilder | Add-KrJWTHeader -Name 'x' -Value $null } | Should -Throw -ErrorId 'ParameterArgumentValidationErrorNullNotAllowed,*'
    }

    It 'rejects NaN, which has no JSON form' {
        { New-TestBuilder | Add-KrJWTHeader -Name 'x' -Value ([double]::NaN) } | Should -Throw -ErrorId 'KrJwt.InvalidArgument,*'
    }
}
