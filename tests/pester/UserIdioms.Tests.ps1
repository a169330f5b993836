# PowerShell idioms (issue 15), each tested the way a user writes the script: pipelines that bind, arrays
# and parsed objects where users have them, routes that answer 401 rather than 500, -Verbose and warnings
# that tell what happened, scope lists in claim policies, views that fit the console, completion of
# registered names, the about_KrJwt topic, and messages that read well.

BeforeAll {
    . ([System.IO.Path]::Combine($PSScriptRoot, 'KeyHelpers.ps1'))

    $script:Key = New-TestHexKey 32
    $script:Issuer = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'https://login.contoso.example' |
        Add-KrJWTAudience -Audience 'orders-api' | Protect-KrJWT -HexadecimalKey $script:Key -Algorithm HS256
    $script:Result = $script:Issuer | Copy-KrJWTTokenBuilder | Add-KrJWTSubject -Subject 'alice' | Build-KrJWT
    $script:Token = $script:Result.Token
    $script:Validation = $script:Result | Get-KrJWTValidationParameter

    # A token of this issuer whose exp is $SecondsAgo in the past (signed here: the builder only issues live tokens).
    function New-ExpiredToken([int] $SecondsAgo, [string] $Subject = 'alice') {
        $now = Get-TestNow
        $payload = "{`"sub`":`"$Subject`",`"nbf`":$($now - 3600),`"exp`":$($now - $SecondsAgo),`"iat`":$($now - 3600)," +
            "`"iss`":`"https://login.contoso.example`",`"aud`":`"orders-api`"}"
        New-TestHs256Token -HexKey $script:Key -PayloadJson $payload -HeaderJson "{`"alg`":`"HS256`",`"kid`":`"$($script:Result.KeyId)`",`"typ`":`"JWT`"}"
    }

    # What a user sees: a command's output rendered as text at a given console width.
    function Show-AsText($InputObject, [string] $Format = 'Format-List', [int] $Width = 80, [string[]] $Property) {
        $arguments = @{}
        if ($Property) { $arguments['Property'] = $Property }
        ($InputObject | & $Format @arguments | Out-String -Width $Width)
    }

    function Get-Completion([string] $Line) {
        [System.Management.Automation.CommandCompletion]::CompleteInput($Line, $Line.Length, $null).CompletionMatches
    }
}

Describe '1. Pipelines bind as users write them' {
    It '$tokens | Test-KrJWT -ValidationParameter $vp gives one answer per token, in order' {
        $other = ($script:Issuer | Build-KrJWT).Token
        $tokens = $script:Token, 'not-a-token', $other
        $answers = @($tokens | Test-KrJWT -ValidationParameter $script:Validation)
        $answers | Should -Be @($true, $false, $true)
    }

    It '$tokens | Test-KrJWT -Result $r (and -Detailed) gives one answer per token' {
        $tokens = $script:Token, ($script:Token + 'x')
        @($tokens | Test-KrJWT -Result $script:Result) | Should -Be @($true, $false)
        $reports = @($tokens | Test-KrJWT -Result $script:Result -Detailed)
        @($reports | ForEach-Object { "$($_.Reason)" }) | Should -Be @('Valid', 'InvalidSignature')
    }

    It 'an OAuth token response (access_token) pipes straight into Test-KrJWT and Get-KrJWTInfo' {
        $response = "{`"access_token`":`"$script:Token`",`"token_type`":`"Bearer`",`"expires_in`":3600}" | ConvertFrom-Json
        $response | Test-KrJWT -ValidationParameter $script:Validation | Should -BeTrue
        ($response | Get-KrJWTInfo).Subject | Should -Be 'alice'
        [pscustomobject]@{ AccessToken = $script:Token } | Test-KrJWT -Result $script:Result | Should -BeTrue
        ([pscustomobject]@{ AccessToken = $script:Token } | Get-KrJWTInfo).Subject | Should -Be 'alice'
    }

    It 'build results pipe in by their Token property' {
        $results = $script:Result, ($script:Issuer | Add-KrJWTSubject -Subject 'bob' -WarningAction SilentlyContinue | Build-KrJWT)
        @($results | Test-KrJWT -ValidationParameter $script:Validation) | Should -Be @($true, $true)
        @($results | Get-KrJWTInfo | ForEach-Object Subject) | Should -Be @('alice', 'bob')
    }

    It 'Kestrun''s syntax keeps working: Test-KrJWT -Token $t -Result $r, and positions' {
        Test-KrJWT -Token $script:Token -Result $script:Result | Should -BeTrue
        Test-KrJWT $script:Validation $script:Token | Should -BeTrue
        $script:Validation | Test-KrJWT -Token $script:Token | Should -BeTrue
    }

    It 'a builder piped where a build result is needed says to run Build-KrJWT first: <Line>' -TestCases @(
        @{ Line = '$builder | Get-KrJWTToken' }
        @{ Line = '$builder | Test-KrJWT -ValidationParameter $vp' }
        @{ Line = '$builder | Test-KrJWT -Token $token' }
        @{ Line = '$builder | Get-KrJWTValidationParameter' }
        @{ Line = '$builder | Get-KrJWTInfo' }
    ) {
        $builder = $script:Issuer
        $vp = $script:Validation
        $token = $script:Token
        # Pipeline binding errors are non-terminating: the error stream has them.
        $all = @(& ([scriptblock]::Create($Line)) 2>&1)
        $errors = @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
        @($all | Where-Object { $_ -isnot [System.Management.Automation.ErrorRecord] }) | Should -HaveCount 0
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike 'ParameterArgumentTransformationError,*'
        $errors[0].Exception.Message | Should -Match 'run Build-KrJWT first'
    }
}

Describe '2. Arrays and parsed objects where users have them' {
    It 'Add-KrJWTAudience -Audience ''a'',''b'' adds both; one audience stays a string' {
        $two = New-KrJWTBuilder | Add-KrJWTAudience -Audience 'a', 'b' | Protect-KrJWT -HexadecimalKey $script:Key | Build-KrJWT
        (Get-TestTokenPayload $two.Token)['aud'] | Should -Be @('a', 'b')
        $one = New-KrJWTBuilder | Add-KrJWTAudience -Audience 'a' | Protect-KrJWT -HexadecimalKey $script:Key | Build-KrJWT
        (Get-TestTokenPayload $one.Token)['aud'] | Should -BeOfType [string]
    }

    It 'Add-KrJWTClaim -ClaimType groups -Value ''g1'',''g2'' writes a JSON array; one value stays a string' {
        $result = $script:Issuer | Copy-KrJWTTokenBuilder |
            Add-KrJWTClaim -ClaimType groups -Value 'g1', 'g2' |
            Add-KrJWTClaim -ClaimType tier -Value 'gold' |
            Add-KrJWTClaim -UserClaimType Role -Value 'reader', 'writer' |
            Build-KrJWT
        $payload = [System.Text.Encoding]::UTF8.GetString((ConvertFrom-TestBase64Url $result.Token.Split('.')[1]))
        $payload | Should -Match '"groups":\["g1","g2"\]'
        $payload | Should -Match '"tier":"gold"'
        $payload | Should -Match '"role":\["reader","writer"\]'
    }

    It '-JwkJson takes what ConvertFrom-Json returns, and hashtables, as well as text' {
        $k = ConvertTo-TestBase64Url ([Convert]::FromHexString($script:Key))
        $text = "{`"kty`":`"oct`",`"k`":`"$k`",`"kid`":`"shared-1`"}"
        $parsed = $text | ConvertFrom-Json
        $table = @{ kty = 'oct'; k = $k; kid = 'shared-1' }
        $signed = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'i' | Add-KrJWTAudience -Audience 'a' | Protect-KrJWT -JwkJson $parsed | Build-KrJWT
        $signed.KeyId | Should -Be 'shared-1'
        foreach ($jwk in $text, $parsed, $table) {
            $vp = Get-KrJWTValidationParameter -JwkJson $jwk -Issuer 'i' -Audience 'a'
            Test-KrJWT -Token $signed.Token -ValidationParameter $vp | Should -BeTrue
        }
    }

    It '-JwksJson takes a parsed JWK Set, and Get-KrJwk output goes to -JwkJson' {
        $ec = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $issuer = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'i' | Add-KrJWTAudience -Audience 'a' | Protect-KrJWT -Pem $ec.ExportPkcs8PrivateKeyPem()
        $token = ($issuer | Build-KrJWT).Token
        $jwks = $issuer | New-KrJwks | ConvertFrom-Json
        Test-KrJWT -Token $token -ValidationParameter (Get-KrJWTValidationParameter -JwksJson $jwks -Issuer 'i' -Audience 'a') | Should -BeTrue
        $jwk = $issuer | Get-KrJwk
        Test-KrJWT -Token $token -ValidationParameter (Get-KrJWTValidationParameter -JwkJson $jwk -Issuer 'i' -Audience 'a') | Should -BeTrue
        Get-KrJwkThumbprint -JwkJson $jwk | Should -Be $jwk.KeyId
    }

    It '-Pem takes the lines Get-Content returns without -Raw' {
        $rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $private = New-TestTempFile $rsa.ExportPkcs8PrivateKeyPem()
        $public = New-TestTempFile $rsa.ExportSubjectPublicKeyInfoPem()
        try {
            (Get-Content $private).Count | Should -BeGreaterThan 1
            $token = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'i' | Add-KrJWTAudience -Audience 'a' |
                Protect-KrJWT -Pem (Get-Content $private) | Build-KrJWT | Get-KrJWTToken
            $vp = Get-KrJWTValidationParameter -Pem (Get-Content $public) -Issuer 'i' -Audience 'a'
            Test-KrJWT -Token $token -ValidationParameter $vp | Should -BeTrue
            (Get-KrJwk -Pem (Get-Content $public)).KeyType | Should -Be 'RSA'
        }
        finally {
            [System.IO.File]::Delete($private)
            [System.IO.File]::Delete($public)
        }
    }
}

Describe '3. Routes answer 401, not 500' {
    BeforeAll {
        # The guide's renewal route and request stand-in, taken from docs/guide.md as they are written there.
        $guide = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($script:RepoRoot, 'docs', 'guide.md'))
        $route = [regex]::Match($guide, '(?ms)^\$renewRoute = \{.*?^\}$').Value
        $request = [regex]::Match($guide, '(?ms)^function New-Request\(.*?^\}$').Value
        $route | Should -Not -BeNullOrEmpty
        $request | Should -Not -BeNullOrEmpty
        . ([scriptblock]::Create($request))
        $script:RenewRoute = [scriptblock]::Create($route.Substring($route.IndexOf('{') + 1).TrimEnd('}'))
        $script:Forged = $script:Token.Substring(0, $script:Token.LastIndexOf('.') + 1) + 'AAAA'
    }

    It 'the guide''s renewal route answers 401 for a <Case> bearer token, and runs under $ErrorActionPreference = Stop' -TestCases @(
        @{ Case = 'missing'; Header = '' }
        @{ Case = 'malformed'; Header = 'Bearer not.a.token' }
        @{ Case = 'forged'; Header = 'forged' }
        @{ Case = 'expired'; Header = 'expired' }
        @{ Case = 'foreign'; Header = 'foreign' }
    ) {
        $header = switch ($Header) {
            'forged' { "Bearer $script:Forged" }
            'expired' { "Bearer $(New-ExpiredToken -SecondsAgo 600)" }
            'foreign' { "Bearer $((New-TestBuilder -Issuer 'https://login.contoso.example' -Audience 'orders-api' | Build-KrJWT).Token)" }
            default { $Header }
        }
        $issuer = $script:Issuer
        $ErrorActionPreference = 'Stop'
        $Context = New-Request $header
        & $script:RenewRoute | Should -Be '401'
    }

    It 'the guide''s renewal route renews a valid bearer token' {
        $issuer = $script:Issuer
        $Context = New-Request "Bearer $script:Token"
        $renewed = & $script:RenewRoute
        (Get-KrJWTInfo -Token $renewed).Subject | Should -Be 'alice'
    }

    It 'Update-KrJWT -FromContext reports every unusable token the same non-terminating way (<Case>)' -TestCases @(
        @{ Case = 'missing'; Id = 'KrJwt.NoBearerToken' }
        @{ Case = 'forged'; Id = 'KrJwt.InvalidToken' }
        @{ Case = 'expired'; Id = 'KrJwt.InvalidToken' }
    ) {
        $Context = switch ($Case) {
            'missing' { New-Request '' }
            'forged' { New-Request "Bearer $script:Forged" }
            'expired' { New-Request "Bearer $(New-ExpiredToken -SecondsAgo 600)" }
        }
        $errors = $null
        $out = $script:Issuer | Update-KrJWT -FromContext -ErrorVariable errors -ErrorAction SilentlyContinue
        $out | Should -BeNullOrEmpty
        $errors | Should -HaveCount 1
        $errors[0].FullyQualifiedErrorId | Should -BeLike "$Id,*"
        $errors[0].CategoryInfo.Category | Should -Be 'AuthenticationError'
    }

    It 'a token passed with its Bearer prefix gets a report (Test-KrJWT) and an error (Get-KrJWTInfo) that say so' {
        $report = Test-KrJWT -Token "Bearer $script:Token" -ValidationParameter $script:Validation -Detailed
        $report.Reason | Should -Be 'Malformed'
        $report.Message | Should -Match "starts with 'Bearer '.*pass only the token"
        $errors = $null
        Get-KrJWTInfo -Token "Bearer $script:Token" -ErrorVariable errors -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $errors[0].Exception.Message | Should -Match "starts with 'Bearer '"
    }
}

Describe '4. -Verbose and warnings tell what happened' {
    It 'Protect-KrJWT -Verbose tells the key type, the algorithm Auto chose and the kid' {
        $secret = New-TestHexKey 64
        $lines = @(New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey $secret -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $lines -join "`n" | Should -Match 'shared secret, 512 bits'
        $lines -join "`n" | Should -Match 'HS512, chosen by Auto'
        $kid = (New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey $secret).KeyId
        $lines -join "`n" | Should -Match ([regex]::Escape($kid))
        $secret | Should -Not -BeIn ($lines -split '\W+')
    }

    It 'Build-KrJWT -Verbose tells the algorithm, kid and times' {
        $lines = @($script:Issuer | Build-KrJWT -Verbose 4>&1 | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n"
        $lines | Should -Match "Signed with HS256, kid '$([regex]::Escape($script:Result.KeyId))'"
        $lines | Should -Match 'valid from \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ until \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ \(01:00:00\)'
    }

    It 'Test-KrJWT -Verbose tells the key chosen, why a token was refused and what the clock skew did' {
        $valid = @(Test-KrJWT -Token $script:Token -ValidationParameter $script:Validation -Verbose 4>&1)
        $valid[-1] | Should -BeTrue
        ($valid | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n" |
            Should -Match "kid '$([regex]::Escape($script:Result.KeyId))' \(HS256\) verified(.|\n)*skew: not needed"
        $expired = @(Test-KrJWT -Token (New-ExpiredToken -SecondsAgo 600) -ValidationParameter $script:Validation -Verbose 4>&1)
        $expired[-1] | Should -BeFalse
        $text = ($expired | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"
        $text | Should -Match 'refused \(Expired\)'
        $text | Should -Match 'was not enough'
        $late = @(Test-KrJWT -Token (New-ExpiredToken -SecondsAgo 20) -ValidationParameter $script:Validation -Verbose 4>&1)
        $late[-1] | Should -BeTrue
        ($late | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n" | Should -Match 'skew of 00:01:00 decided it'
    }

    It 'the -Detailed report says when a token passed only thanks to the clock skew' {
        $report = Test-KrJWT -Token (New-ExpiredToken -SecondsAgo 20) -ValidationParameter $script:Validation -Detailed
        $report.IsValid | Should -BeTrue
        $report.WithinClockSkew | Should -BeTrue
        $report.Message | Should -Match 'only thanks to the clock skew of 60 s: it expired at'
        (Test-KrJWT -Token $script:Token -ValidationParameter $script:Validation -Detailed).WithinClockSkew | Should -BeFalse
        $report.Key['kid'] | Should -Be $script:Result.KeyId
    }

    It 'Get-KrJWTValidationParameter -Verbose tells which checks are on' {
        $text = @(Get-KrJWTValidationParameter -HexadecimalKey $script:Key -Issuer 'https://login.contoso.example' -Verbose -WarningAction SilentlyContinue 4>&1 |
                Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }) -join "`n"
        $text | Should -Match "Issuer \(iss\): checked, one of 'https://login.contoso.example'"
        $text | Should -Match 'Audience \(aud\): not checked'
        $text | Should -Match 'Lifetime \(exp, nbf\): checked with a clock skew of 00:01:00'
        $text | Should -Match 'Algorithms accepted: HS256'
    }

    It 'warns when validation parameters check no issuer or no audience' {
        $warnings = $null
        $null = Get-KrJWTValidationParameter -HexadecimalKey $script:Key -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 2
        "$($warnings[0])" | Should -Match 'any issuer.*-Issuer'
        "$($warnings[1])" | Should -Match 'any audience.*-Audience'
        $null = New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey $script:Key | Build-KrJWT |
            Get-KrJWTValidationParameter -WarningVariable warnings -WarningAction SilentlyContinue
        ($warnings -join ' ') | Should -Match 'Add-KrJWTIssuer'
        $null = Get-KrJWTValidationParameter -HexadecimalKey $script:Key -Issuer 'i' -Audience 'a' -WarningVariable warnings
        $warnings | Should -HaveCount 0
    }

    It 'warns when Add-KrJWTSubject replaces a subject the template already had' {
        $template = $script:Issuer | Copy-KrJWTTokenBuilder | Add-KrJWTSubject -Subject 'alice'
        $warnings = $null
        $null = $template | Copy-KrJWTTokenBuilder | Add-KrJWTSubject -Subject 'bob' -WarningVariable warnings -WarningAction SilentlyContinue
        $warnings | Should -HaveCount 1
        "$warnings" | Should -Match "already had the subject 'alice'.*'bob'.*Copy-KrJWTTokenBuilder"
        $null = $template | Add-KrJWTSubject -Subject 'alice' -WarningVariable warnings
        $warnings | Should -HaveCount 0
    }

    It 'a refused algorithm the key is pinned against names -Algorithm as the way to allow it (64-byte secret: HS512 under Auto)' {
        $secret = New-TestHexKey 64
        $hs256 = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'i' | Add-KrJWTAudience -Audience 'a' |
            Protect-KrJWT -HexadecimalKey $secret -Algorithm HS256 | Build-KrJWT | Get-KrJWTToken
        $auto = Get-KrJWTValidationParameter -HexadecimalKey $secret -Issuer 'i' -Audience 'a'
        $report = Test-KrJWT -Token $hs256 -ValidationParameter $auto -Detailed
        $report.Reason | Should -Be 'AlgorithmNotAllowed'
        $report.AllowableAlgorithm | Should -Be 'HS256'
        $report.Message | Should -Match 'only HS512 is accepted'
        $report.Message | Should -Match '-Algorithm HS256'
        $both = Get-KrJWTValidationParameter -HexadecimalKey $secret -Issuer 'i' -Audience 'a' -Algorithm HS512, HS256
        Test-KrJWT -Token $hs256 -ValidationParameter $both | Should -BeTrue
    }
}

Describe '5. Claim policies read scope and scp as space-separated lists' {
    BeforeAll {
        Add-KrJWTBearerAuthentication -Name 'idiom-scopes' -ValidationParameter $script:Validation -ClaimPolicy @{
            CanWrite = @{ Claim = 'scope'; Values = 'orders.write' }
            Graph    = @{ Claim = 'scp'; Values = 'User.Read' }
            Admin    = @{ Claim = 'role'; Values = 'admin' }
        }
        function Test-Scope([string] $ClaimType, [string] $Value, [string] $Policy) {
            $token = $script:Issuer | Copy-KrJWTTokenBuilder | Add-KrJWTClaim -ClaimType $ClaimType -Value $Value | Build-KrJWT | Get-KrJWTToken
            $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "Bearer $token" } } }
            Test-KrJWT -FromContext -Scheme 'idiom-scopes' -Policy $Policy
        }
    }

    AfterAll { $null = [KrJwt.JwtBearerSchemes]::Remove('idiom-scopes') }

    It '<ClaimType> = "<Value>" satisfies <Policy>: <Expected>' -TestCases @(
        @{ ClaimType = 'scope'; Value = 'orders.read orders.write'; Policy = 'CanWrite'; Expected = $true }
        @{ ClaimType = 'scope'; Value = 'orders.write'; Policy = 'CanWrite'; Expected = $true }
        @{ ClaimType = 'scope'; Value = 'orders.read'; Policy = 'CanWrite'; Expected = $false }
        @{ ClaimType = 'scope'; Value = 'orders.writer'; Policy = 'CanWrite'; Expected = $false }
        @{ ClaimType = 'scp'; Value = 'Mail.Read User.Read'; Policy = 'Graph'; Expected = $true }
        @{ ClaimType = 'role'; Value = 'admin editor'; Policy = 'Admin'; Expected = $false }
    ) {
        Test-Scope $ClaimType $Value $Policy | Should -Be $Expected
    }
}

Describe '6. Views' {
    It 'validation parameters have a table view whose headers fit 80 columns unbroken' {
        $text = Show-AsText $script:Validation -Format 'Format-Table'
        $lines = @($text -split "`r?`n" | Where-Object { $_.Trim() })
        $lines[0] | Should -Match '^Issuers\s+Audiences\s+Algorithms\s+ClockSkew\s+KeyIds\s*$'
        $lines[1] | Should -Match '^-+\s+-+\s+-+\s+-+\s+-+\s*$'
        $lines[2] | Should -Match 'https://login\.conto.*orders-api\s+HS256\s+00:01:00'
        @($lines | Where-Object { $_.Length -gt 80 }) | Should -HaveCount 0
    }

    It 'the bearer report''s list view shows claims as name=value' {
        Add-KrJWTBearerAuthentication -Name 'idiom-view' -ValidationParameter $script:Validation -ClaimPolicy @{ CanWrite = @{ Claim = 'scope'; Values = 'w' } }
        try {
            $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "Bearer $script:Token" } } }
            $text = Show-AsText (Test-KrJWT -FromContext -Scheme 'idiom-view' -Detailed)
            $text | Should -Match 'Claims\s+: sub=alice, '
            $text | Should -Match 'StatusCode\s+: 200'
            $text | Should -Not -Match '\{\['
            $scheme = Show-AsText ([KrJwt.JwtBearerSchemes]::Get('idiom-view'))
            $scheme | Should -Match 'ClaimPolicies\s+: CanWrite=scope in \(w\)'
            $scheme | Should -Match 'Audiences\s+: orders-api'
            $scheme | Should -Not -Match '\{\['
        }
        finally { $null = [KrJwt.JwtBearerSchemes]::Remove('idiom-view') }
    }

    It 'Get-KrJwk | Format-List * shows the key, not dictionary internals' {
        $ec = [System.Security.Cryptography.ECDsa]::Create([System.Security.Cryptography.ECCurve+NamedCurves]::nistP256)
        $jwk = Get-KrJwk -Pem $ec.ExportSubjectPublicKeyInfoPem()
        $text = Show-AsText $jwk -Property '*' -Width 200
        foreach ($internal in 'SyncRoot', 'IsSynchronized', 'IsFixedSize', 'IsReadOnly', 'Keys', 'Values', 'Count') {
            $text | Should -Not -Match "(?m)^$internal\s+:"
        }
        $text | Should -Match '(?m)^KeyType\s+: EC'
        $text | Should -Match '(?m)^Curve\s+: P-256'
        $text | Should -Match "(?m)^KeyId\s+: $([regex]::Escape($jwk.kid))"
        # Still a dictionary of the JWK members when asked.
        @($jwk.Keys) | Should -Contain 'x'
        $jwk['crv'] | Should -Be 'P-256'
        ($jwk | ConvertTo-Json -Compress | ConvertFrom-Json).kid | Should -Be $jwk.KeyId
    }

    It 'Get-KrJWTInfo tells IsExpired, the time left and the raw payload JSON' {
        $info = $script:Token | Get-KrJWTInfo
        $info.IsExpired | Should -BeFalse
        $info.TimeLeft | Should -BeGreaterThan ([TimeSpan]::FromMinutes(59))
        $info.TimeLeft | Should -BeLessOrEqual ([TimeSpan]::FromHours(1))
        $info.Payload | Should -BeExactly ([System.Text.Encoding]::UTF8.GetString((ConvertFrom-TestBase64Url $script:Token.Split('.')[1])))
        $old = New-ExpiredToken -SecondsAgo 600 | Get-KrJWTInfo
        $old.IsExpired | Should -BeTrue
        $old.TimeLeft | Should -BeLessThan ([TimeSpan]::FromMinutes(-9))
        Show-AsText $old | Should -Match 'TimeLeft\s+: expired 00:1\d:\d\d ago'
    }

    It 'the build result answers Audience (a string for one, an array for several) as well as Audiences' {
        $script:Result.Audience | Should -BeExactly 'orders-api'
        $two = New-KrJWTBuilder | Add-KrJWTAudience -Audience 'a', 'b' | Protect-KrJWT -HexadecimalKey $script:Key | Build-KrJWT
        $two.Audience | Should -Be @('a', 'b')
        (New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey $script:Key | Build-KrJWT).Audience | Should -BeNullOrEmpty
    }
}

Describe '7. Completion' {
    BeforeAll {
        Add-KrJWTBearerAuthentication -Name 'idiom-complete' -ValidationParameter $script:Validation -ClaimPolicy @{
            CanRead = 'can_read'; CanWrite = @{ Claim = 'scope'; Values = 'write' }; 'Read Only' = 'ro'
        }
        Add-KrJWTBearerAuthentication -Name 'idiom-other' -ValidationParameter $script:Validation -ClaimPolicy @{ OtherPolicy = 'x' }
    }

    AfterAll {
        $null = [KrJwt.JwtBearerSchemes]::Remove('idiom-complete')
        $null = [KrJwt.JwtBearerSchemes]::Remove('idiom-other')
    }

    It '-Scheme completes the registered bearer schemes (not file names): <Line>' -TestCases @(
        @{ Line = 'Test-KrJWT -FromContext -Scheme idiom-' }
        @{ Line = 'Get-KrJWTInfo -FromContext -Scheme idiom-' }
    ) {
        @(Get-Completion $Line | ForEach-Object CompletionText) | Should -Be @('idiom-complete', 'idiom-other')
    }

    It '-Policy completes the policies of the scheme named by -Scheme, quoting names with spaces' {
        $matches = @(Get-Completion 'Test-KrJWT -FromContext -Scheme idiom-complete -Policy ')
        @($matches | ForEach-Object CompletionText) | Should -Be @('CanRead', 'CanWrite', "'Read Only'")
        ($matches | Where-Object ListItemText -EQ 'CanWrite').ToolTip | Should -Be 'CanWrite: scope in (write)'
        @(Get-Completion 'Test-KrJWT -FromContext -Scheme idiom-other -Policy ' | ForEach-Object CompletionText) | Should -Be @('OtherPolicy')
    }

    It '-Algorithm completes in the same order everywhere' {
        $protect = @(Get-Completion 'Protect-KrJWT -HexadecimalKey $k -Algorithm ' | ForEach-Object CompletionText | Where-Object { $_ -ne 'Auto' })
        $validation = @(Get-Completion 'Get-KrJWTValidationParameter -JwksJson $j -Algorithm ' | ForEach-Object CompletionText)
        $bearer = @(Get-Completion 'Add-KrJWTBearerAuthentication -ValidAlgorithms ' | ForEach-Object CompletionText)
        $protect.Count | Should -Be 13
        $validation | Should -Be $protect
        $bearer | Should -Be $protect
    }

    It '-UserClaimType tooltips say which claim Email and EmailAddress write' {
        $matches = @(Get-Completion 'Add-KrJWTClaim -UserClaimType Email')
        @($matches | ForEach-Object CompletionText) | Should -Be @('Email', 'EmailAddress')
        ($matches | Where-Object CompletionText -EQ 'EmailAddress').ToolTip | Should -Be "Writes the claim 'email'."
        ($matches | Where-Object CompletionText -EQ 'Email').ToolTip | Should -Match "http://schemas\.microsoft\.com/ws/2008/06/identity/claims/email.*EmailAddress"
        # What the tooltips say is what the claims are written as.
        $payload = Get-TestTokenPayload ($script:Issuer | Copy-KrJWTTokenBuilder | Add-KrJWTClaim -UserClaimType EmailAddress -Value 'a@x' |
                Add-KrJWTClaim -UserClaimType Email -Value 'b@x' | Build-KrJWT).Token
        $payload['email'] | Should -Be 'a@x'
        $payload['http://schemas.microsoft.com/ws/2008/06/identity/claims/email'] | Should -Be 'b@x'
    }
}

Describe '8. The about_KrJwt topic and help links' {
    It 'Get-Help about_KrJwt shows the workflow, the security defaults and the troubleshooting table' {
        $text = (Get-Help about_KrJwt | Out-String -Width 120)
        $text | Should -Match 'about_KrJwt'
        foreach ($cmdlet in 'New-KrJWTBuilder', 'Protect-KrJWT', 'Build-KrJWT', 'Test-KrJWT', 'Get-KrJWTValidationParameter', 'Update-KrJWT') {
            $text | Should -Match $cmdlet
        }
        $text | Should -Match 'clock skew'
        $text | Should -Match 'alg.{0,3}none'
        # Every symptom of the guide's troubleshooting table is in the topic.
        $guide = [System.IO.File]::ReadAllText([System.IO.Path]::Combine($script:RepoRoot, 'docs', 'guide.md'))
        $table = [regex]::Match($guide, '(?ms)^## \d+\. Troubleshooting\s+(.*?)(^## |\z)').Groups[1].Value
        $symptoms = @([regex]::Matches($table, '(?m)^\| (?!Symptom|---)([^|]+?) \|') | ForEach-Object { $_.Groups[1].Value -replace '`', '' })
        $symptoms.Count | Should -BeGreaterThan 5
        foreach ($symptom in $symptoms) { $text.Contains($symptom) | Should -BeTrue -Because "the guide lists '$symptom'" }
    }

    It 'the manifest and the cmdlet help point to no placeholder address' {
        $manifest = Import-PowerShellDataFile $script:ModuleManifest
        $manifest.ContainsKey('HelpInfoURI') | Should -BeFalse
        (Get-Module KrJwt).HelpInfoUri | Should -BeNullOrEmpty
        foreach ($page in [System.IO.Directory]::GetFiles([System.IO.Path]::Combine($script:RepoRoot, 'docs', 'cmdlets'), '*.md')) {
            [System.IO.File]::ReadAllText($page) | Should -Not -Match 'github\.com/krjwt' -Because $page
        }
        $links = @((Get-Help Test-KrJWT -Full).relatedLinks.navigationLink)
        @($links | Where-Object { $_.linkText -like 'Online Version*' -or $_.uri -match 'github\.com/krjwt' }) | Should -HaveCount 0
    }
}

Describe '9. Messages read well' {
    It 'Update-KrJWT refuses a token in one sentence that keeps the reason' {
        $message = $null
        try { $script:Issuer | Update-KrJWT -Token (New-ExpiredToken -SecondsAgo 600) } catch { $message = $_.Exception.Message }
        $message | Should -Match '^The token cannot be renewed because the token expired at .*\(Expired\); only valid tokens'
        $message.TrimEnd('.') | Should -Not -Match '\.\s'
    }

    It 'Update-KrJWT -Lifetime 0 says it once, without .NET''s parameter text' {
        $message = $null
        try { $script:Issuer | Update-KrJWT -Token $script:Token -Lifetime 0 } catch { $message = $_.Exception.Message }
        ([regex]::Matches($message, 'must be positive')).Count | Should -Be 1
        $message | Should -Not -Match "Parameter 'Lifetime'|Actual value"
        $message | Should -Match '-Lifetime'
    }

    It '-JsonValue errors name the parameter and suggest quoting or -Value' {
        $failure = $null
        try { $script:Issuer | Copy-KrJWTTokenBuilder | Add-KrJWTClaim -ClaimType 'nickname' -JsonValue 'alice' } catch { $failure = $_ }
        $failure.FullyQualifiedErrorId | Should -BeLike 'KrJwt.InvalidJson,*'
        $failure.Exception.Message | Should -Match "^-JsonValue for the claim 'nickname' is not valid JSON"
        $failure.Exception.Message | Should -Match "-JsonValue '`"text`"'.*-Value 'text'"
        $failure.Exception.Message | Should -Not -Match 'json_value'
    }

    It 'the -WhatIf target names the token by subject and kid' {
        $transcript = [System.IO.Path]::GetTempFileName()
        try {
            $null = Start-Transcript -Path $transcript
            $script:Issuer | Update-KrJWT -Token $script:Token -WhatIf
            $null = Stop-Transcript
            $whatIf = @(Get-Content $transcript | Where-Object { $_ -like 'What if:*' })
            $whatIf | Should -HaveCount 1
            $whatIf[0] | Should -Match "on target `"the token of subject 'alice' \(kid '$([regex]::Escape($script:Result.KeyId))'\)`""
            $whatIf[0] | Should -Not -Match ([regex]::Escape($script:Token))
        }
        finally { [System.IO.File]::Delete($transcript) }
    }
}
