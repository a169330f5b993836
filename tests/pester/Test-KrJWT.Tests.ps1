# Get-KrJWTValidationParameter and Test-KrJWT (sets Result and ValidationParameter, -Detailed).

Describe 'Get-KrJWTValidationParameter' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))
        $script:Builder = New-TestBuilder -Issuer 'IssuerA' -Audience 'ClientA' | Add-KrJWTAudience -Audience 'ClientB'
        $script:Result = $script:Builder | Build-KrJWT
    }

    It 'returns validation parameters from the pipeline, pinned to the result' {
        $vp = $script:Result | Get-KrJWTValidationParameter
        $vp | Should -BeOfType ([KrJwt.JwtValidationParameters])
        ($vp.Issuers -join ',') | Should -Be 'IssuerA'
        ($vp.Audiences -join ',') | Should -Be 'ClientA,ClientB'
        ($vp.Algorithms -join ',') | Should -Be 'HS256'
        $vp.ValidateLifetime | Should -BeTrue
        $vp.ValidateIssuer | Should -BeTrue
        $vp.ValidateAudience | Should -BeTrue
        $vp.RequireSignedTokens | Should -BeTrue
        $vp.KeyIds | Should -Contain $script:Result.KeyId
    }

    It 'defaults the clock skew to one minute' {
        ($script:Result | Get-KrJWTValidationParameter).ClockSkew | Should -Be ([TimeSpan]::FromMinutes(1))
    }

    It 'binds Result and ClockSkew by position (0, 1)' {
        $vp = Get-KrJWTValidationParameter $script:Result ([TimeSpan]::FromSeconds(5))
        $vp.ClockSkew | Should -Be ([TimeSpan]::FromSeconds(5))
    }

    It 'is a snapshot: later builder changes do not alter it' {
        $b = New-TestBuilder -Issuer 'before'
        $vp = $b | Build-KrJWT | Get-KrJWTValidationParameter
        $b | Add-KrJWTIssuer -Issuer 'after' | Out-Null
        ($vp.Issuers -join ',') | Should -Be 'before'
    }

    It 'never shows key material' {
        $key = New-TestHexKey 32
        $vp = New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey $key | Build-KrJWT | Get-KrJWTValidationParameter
        "$vp" | Should -Not -Match $key
        ($vp.Keys | ForEach-Object { $_.Values -join ' ' }) -join ' ' | Should -Not -Match $key
    }
}

Describe 'Test-KrJWT' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))
        $script:Key = New-TestHexKey 32
        $script:Builder = New-TestBuilder -Issuer 'IssuerA' -Audience 'ClientA' -HexKey $script:Key |
            Add-KrJWTSubject -Subject 'user1' |
            Add-KrJWTClaim -UserClaimType Role -Value 'reader'
        $script:Result = $script:Builder | Build-KrJWT
        $script:Token = $script:Result.Token
        $script:Validation = $script:Result | Get-KrJWTValidationParameter

        # Validates $Token against $Result with -Detailed and returns the report.
        function Get-TestReport {
            param($Result, [string] $Token, [TimeSpan] $ClockSkew = [TimeSpan]::FromMinutes(1))
            Test-KrJWT -Result $Result -Token $Token -ClockSkew $ClockSkew -Detailed
        }
    }

    It 'has Result as its default parameter set' {
        (Get-Command Test-KrJWT).DefaultParameterSet | Should -Be 'Result'
    }

    It 'accepts its own token (Result set, named)' {
        Test-KrJWT -Result $script:Result -Token $script:Token | Should -BeTrue
    }

    It 'accepts its own token (Result from the pipeline)' {
        $script:Result | Test-KrJWT -Token $script:Token | Should -BeTrue
    }

    It 'binds Result, Token and ClockSkew by position (0, 1, 2)' {
        Test-KrJWT $script:Result $script:Token | Should -BeTrue
        Test-KrJWT $script:Result $script:Token ([TimeSpan]::Zero) | Should -BeTrue
    }

    It 'accepts its own token (ValidationParameter set, named, as the guide writes it)' {
        Test-KrJWT -Token $script:Token -ValidationParameter $script:Validation | Should -BeTrue
    }

    It 'accepts validation parameters from the pipeline and by position' {
        $script:Validation | Test-KrJWT -Token $script:Token | Should -BeTrue
        Test-KrJWT $script:Validation $script:Token | Should -BeTrue
    }

    It 'returns a bool' {
        Test-KrJWT -Result $script:Result -Token $script:Token | Should -BeOfType ([bool])
        Test-KrJWT -Result $script:Result -Token 'garbage' | Should -BeOfType ([bool])
    }

    It 'accepts tokens from later builds of the same builder' {
        $later = $script:Builder | Build-KrJWT
        Test-KrJWT -Result $script:Result -Token $later.Token | Should -BeTrue
    }

    It 'reports a valid token in detail (-Detailed) with its claims' {
        $report = Get-TestReport $script:Result $script:Token
        $report | Should -BeOfType ([KrJwt.JwtValidationReport])
        $report.IsValid | Should -BeTrue
        $report.Reason | Should -Be ([KrJwt.KrReason]::Valid)
        $report.Claims['sub'] | Should -Be 'user1'
        $report.Claims['role'] | Should -Be 'reader'
        $report.Header['alg'] | Should -Be 'HS256'
    }

    It 'takes -PassThru as another name for -Detailed' {
        (Test-KrJWT -Result $script:Result -Token $script:Token -PassThru).IsValid | Should -BeTrue
        (Test-KrJWT -Token $script:Token -ValidationParameter $script:Validation -Detailed).Reason.ToString() | Should -Be 'Valid'
    }

    It 'refuses a tampered payload: InvalidSignature' {
        $payload = [System.Text.Encoding]::UTF8.GetString((ConvertFrom-TestBase64Url $script:Token.Split('.')[1]))
        $forged = Set-TestTokenSegment -Token $script:Token -Index 1 -Json $payload.Replace('"reader"', '"admin"')
        $forged | Should -Not -Be $script:Token
        Test-KrJWT -Result $script:Result -Token $forged | Should -BeFalse
        (Get-TestReport $script:Result $forged).Reason | Should -Be ([KrJwt.KrReason]::InvalidSignature)
        (Test-KrJWT -Token $forged -ValidationParameter $script:Validation -Detailed).Reason.ToString() | Should -Be 'InvalidSignature'
    }

    It 'refuses a token signed with another key: InvalidSignature' {
        $other = New-TestBuilder -Issuer 'IssuerA' -Audience 'ClientA' | Build-KrJWT
        Test-KrJWT -Result $script:Result -Token $other.Token | Should -BeFalse
        (Get-TestReport $script:Result $other.Token).Reason | Should -Be ([KrJwt.KrReason]::InvalidSignature)
    }

    It 'refuses an expired token: Expired' {
        $short = New-TestBuilder -Issuer 'IssuerA' -Audience 'ClientA' | Limit-KrJWTValidity -Seconds 1 | Build-KrJWT
        [System.Threading.Thread]::Sleep(2200)
        Test-KrJWT -Result $short -Token $short.Token -ClockSkew ([TimeSpan]::Zero) | Should -BeFalse
        $report = Get-TestReport $short $short.Token ([TimeSpan]::Zero)
        $report.Reason | Should -Be ([KrJwt.KrReason]::Expired)
        $report.Message | Should -Not -BeNullOrEmpty
        # The default skew of one minute still accepts it.
        Test-KrJWT -Result $short -Token $short.Token | Should -BeTrue
    }

    It 'refuses a token not valid yet (Limit-KrJWTNotBefore -Minutes 10): NotYetValid' {
        $later = New-TestBuilder -Issuer 'IssuerA' -Audience 'ClientA' | Limit-KrJWTNotBefore -Minutes 10 | Build-KrJWT
        Test-KrJWT -Result $later -Token $later.Token | Should -BeFalse
        (Get-TestReport $later $later.Token).Reason | Should -Be ([KrJwt.KrReason]::NotYetValid)
    }

    It 'refuses a token from another issuer: InvalidIssuer' {
        $other = New-TestBuilder -Issuer 'IssuerB' -Audience 'ClientA' -HexKey $script:Key | Build-KrJWT
        Test-KrJWT -Result $script:Result -Token $other.Token | Should -BeFalse
        (Get-TestReport $script:Result $other.Token).Reason | Should -Be ([KrJwt.KrReason]::InvalidIssuer)
    }

    It 'refuses a token for another audience: InvalidAudience' {
        $other = New-TestBuilder -Issuer 'IssuerA' -Audience 'ClientZ' -HexKey $script:Key | Build-KrJWT
        Test-KrJWT -Result $script:Result -Token $other.Token | Should -BeFalse
        (Get-TestReport $script:Result $other.Token).Reason | Should -Be ([KrJwt.KrReason]::InvalidAudience)
    }

    It 'refuses alg none: AlgorithmNotAllowed' {
        $forged = Set-TestTokenSegment -Token $script:Token -Index 0 -Json '{"alg":"none","typ":"JWT"}' -DropSignature
        $forged.EndsWith('.') | Should -BeTrue
        Test-KrJWT -Result $script:Result -Token $forged | Should -BeFalse
        (Get-TestReport $script:Result $forged).Reason | Should -Be ([KrJwt.KrReason]::AlgorithmNotAllowed)
        Test-KrJWT -Token $forged -ValidationParameter $script:Validation | Should -BeFalse
    }

    It 'refuses a header naming another algorithm (HS512 with an HS256 key): AlgorithmNotAllowed' {
        $header = [System.Text.Encoding]::UTF8.GetString((ConvertFrom-TestBase64Url $script:Token.Split('.')[0]))
        $forged = Set-TestTokenSegment -Token $script:Token -Index 0 -Json $header.Replace('"HS256"', '"HS512"')
        (Get-TestReport $script:Result $forged).Reason | Should -Be ([KrJwt.KrReason]::AlgorithmNotAllowed)
    }

    It 'never throws for a bad token: <Case> gives $false and Malformed' -TestCases @(
        @{ Case = 'garbage'; Token = 'not a token' },
        @{ Case = 'empty string'; Token = '' },
        @{ Case = 'two segments'; Token = 'abc.def' },
        @{ Case = 'bad base64'; Token = '!!!.???.***' }
    ) {
        param($Case, $Token)
        Test-KrJWT -Result $script:Result -Token $Token | Should -BeFalse
        (Get-TestReport $script:Result $Token).Reason | Should -Be ([KrJwt.KrReason]::Malformed)
    }

    It 'treats a $null token as malformed instead of throwing' {
        Test-KrJWT -Result $script:Result -Token $null | Should -BeFalse
    }

    It 'gives consistent answers over many calls (cached validator per clock skew)' {
        $answers = foreach ($i in 1..200) { Test-KrJWT -Result $script:Result -Token $script:Token }
        @($answers | Where-Object { $_ -ne $true }).Count | Should -Be 0
        Test-KrJWT -Result $script:Result -Token $script:Token -ClockSkew ([TimeSpan]::FromSeconds(5)) | Should -BeTrue
        Test-KrJWT -Result $script:Result -Token $script:Token | Should -BeTrue
    }

    It 'cannot mix -Result and -ValidationParameter' {
        { Test-KrJWT -Result $script:Result -ValidationParameter $script:Validation -Token $script:Token } |
            Should -Throw -ErrorId 'AmbiguousParameterSet,*'
    }
}
