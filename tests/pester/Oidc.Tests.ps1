# Tokens from an identity provider: Get-KrJWTValidationParameter -Authority (OpenID Connect discovery) and
# -JwksUri, Add-KrJWTBearerAuthentication -Authority, against a real OpenID Provider (npm's oidc-provider,
# tests/oidc/provider.mjs) on a loopback port: a confidential client gets JWT access tokens whose aud is the
# requested resource (client_credentials with resource indicators). Key rotation, the refetch cooldown
# under a burst of unknown key ids (counted in the provider's request log), a provider gone away, and the
# fetch rules (https, loopback http, time limit, size cap, no redirects) with small stubs where the
# provider cannot misbehave on demand.
#
# Each Describe starts its own provider (its own port and keys); every provider is stopped in AfterAll.

BeforeAll {
    . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))
    . ([System.IO.Path]::Combine($PSScriptRoot, 'OidcHelpers.ps1'))

    $script:Orders = 'urn:krjwt:orders'

    # The token with its header replaced (the signature no longer matters once the kid is unknown).
    function Set-TestKid {
        param([string] $Token, [string] $Kid)
        Set-TestTokenSegment -Token $Token -Index 0 -Json "{`"alg`":`"RS256`",`"typ`":`"at+jwt`",`"kid`":`"$Kid`"}"
    }

    function Get-Reason {
        param($Parameters, [string] $Token)
        (Test-KrJWT -ValidationParameter $Parameters -Token $Token -Detailed).Reason.ToString()
    }

    # Waits until $Watch has run for longer than $Span (a cooldown or max age).
    function Wait-Past {
        param([System.Diagnostics.Stopwatch] $Watch, [TimeSpan] $Span)
        $left = $Span - $Watch.Elapsed + [TimeSpan]::FromMilliseconds(200)
        if ($left -gt [TimeSpan]::Zero) { [System.Threading.Thread]::Sleep($left) }
    }

    # Validates each token in a RunspacePool of $Threads runspaces (each imports the module), all sharing
    # $Parameters, and returns the reasons.
    function Invoke-TestPool {
        param($Parameters, [string[]] $Tokens, [int] $Threads = 8)
        $iss = [initialsessionstate]::CreateDefault2()
        $iss.ImportPSModule($script:ModuleManifest)
        $pool = [runspacefactory]::CreateRunspacePool(1, $Threads, $iss, $Host)
        $pool.Open()
        try {
            $jobs = foreach ($token in $Tokens) {
                $ps = [powershell]::Create()
                $ps.RunspacePool = $pool
                $null = $ps.AddScript({ param($p, $t) (Test-KrJWT -ValidationParameter $p -Token $t -Detailed).Reason.ToString() }).AddArgument($Parameters).AddArgument($token)
                [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
            }
            foreach ($job in $jobs) {
                try { $job.PowerShell.EndInvoke($job.Handle) } finally { $job.PowerShell.Dispose() }
            }
        }
        finally { $pool.Dispose() }
    }

    # A one-route-per-path HTTP stub on a free loopback port, served by a background runspace:
    # $Routes maps a path to @{ Status; Body; Headers; DelayMs; Chunked }.
    function Start-TestHttpStub {
        param([hashtable] $Routes)
        $port = Get-TestFreePort
        $listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$port/")
        $listener.Start()
        # CreateDefault2: the bundled test host has no console host snap-in for [powershell]::Create()'s default.
        $runspace = [runspacefactory]::CreateRunspace([initialsessionstate]::CreateDefault2())
        $runspace.Open()
        $ps = [powershell]::Create()
        $ps.Runspace = $runspace
        $null = $ps.AddScript({
                param($listener, $routes)
                while ($listener.IsListening) {
                    try { $context = $listener.GetContext() } catch { break }
                    $route = $routes[$context.Request.Url.AbsolutePath]
                    if (-not $route) { $route = @{ Status = 404; Body = 'no such route' } }
                    if ($route.DelayMs) { [System.Threading.Thread]::Sleep($route.DelayMs) }
                    try {
                        $context.Response.StatusCode = $route.Status
                        if ($route.Headers) { foreach ($name in $route.Headers.Keys) { $context.Response.AddHeader($name, $route.Headers[$name]) } }
                        $bytes = [System.Text.Encoding]::UTF8.GetBytes([string]$route.Body)
                        if ($route.Chunked) { $context.Response.SendChunked = $true } else { $context.Response.ContentLength64 = $bytes.Length }
                        $context.Response.OutputStream.Write($bytes, 0, $bytes.Length)
                        $context.Response.Close()
                    }
                    catch { }
                }
            }).AddArgument($listener).AddArgument($Routes)
        [pscustomobject]@{ Url = "http://127.0.0.1:$port"; Listener = $listener; PowerShell = $ps; Handle = $ps.BeginInvoke() }
    }

    function Stop-TestHttpStub {
        param($Stub)
        if (-not $Stub) { return }
        $Stub.Listener.Stop()
        $Stub.Listener.Close()
        $null = $Stub.Handle.AsyncWaitHandle.WaitOne(5000)
        $Stub.PowerShell.Runspace.Dispose()
        $Stub.PowerShell.Dispose()
    }
}

Describe 'Get-KrJWTValidationParameter -Authority: discovery and validation' {
    BeforeAll {
        $script:Provider = Start-TestOidcProvider -KeyIds 'k1'
        $script:Messages = @(Get-KrJWTValidationParameter -Authority $script:Provider.Url -Audience $script:Orders -Verbose 4>&1)
        $script:Parameters = $script:Messages | Where-Object { $_ -is [KrJwt.JwtValidationParameters] }
        $script:Verbose = @($script:Messages | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message)
        $script:Token = Get-TestOidcToken $script:Provider -Resource $script:Orders
    }
    AfterAll {
        Stop-TestProcess $script:Provider
        Remove-TestOidcKeyFolder $script:Provider
    }

    It 'discovers the issuer and the key set, and says so with -Verbose (URL, status, keys, next refresh)' {
        $script:Parameters | Should -HaveCount 1
        $script:Parameters.Authority | Should -Be $script:Provider.Url
        $script:Parameters.Issuers | Should -Be @($script:Provider.Url)
        $script:Parameters.Audiences | Should -Be @($script:Orders)
        $script:Parameters.JwksUri | Should -Be "$($script:Provider.Url)/jwks"
        $script:Parameters.KeyIds | Should -Be @('k1')
        $script:Parameters.Algorithms | Should -Be @('RS256')
        $script:Parameters.KeySetError | Should -BeNullOrEmpty
        $script:Parameters.JwksCooldown | Should -Be ([TimeSpan]::FromSeconds(30))
        $script:Parameters.JwksMaxAge | Should -Be ([TimeSpan]::FromMinutes(10))
        ($script:Parameters.KeySetRefreshAt - $script:Parameters.KeySetFetchedAt) | Should -Be ([TimeSpan]::FromMinutes(10))
        [string]$script:Parameters | Should -Match 'jwks=http://127\.0\.0\.1:\d+/jwks'
        $script:Verbose[0] | Should -Match "GET $([regex]::Escape($script:Provider.Url))/\.well-known/openid-configuration: 200"
        $script:Verbose[1] | Should -Match "GET $([regex]::Escape($script:Provider.Url))/jwks: 200, 1 key\(s\), next refresh at \d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ"
        Get-TestOidcRequestCount $script:Provider '/.well-known/openid-configuration' | Should -Be 1
        Get-TestOidcRequestCount $script:Provider '/jwks' | Should -Be 1
    }

    It 'accepts the provider''s access token (valid, with its claims)' {
        (Get-TestTokenHeader $script:Token)['kid'] | Should -Be 'k1'
        Test-KrJWT -ValidationParameter $script:Parameters -Token $script:Token | Should -BeTrue
        $report = Test-KrJWT -ValidationParameter $script:Parameters -Token $script:Token -Detailed
        $report.Reason.ToString() | Should -Be 'Valid'
        $report.Claims['aud'] | Should -Be $script:Orders
        $report.Claims['iss'] | Should -Be $script:Provider.Url
        $report.Claims['client_id'] | Should -Be 'krjwt-tests'
    }

    It 'refuses a tampered token (InvalidSignature)' {
        $json = [System.Text.Encoding]::UTF8.GetString((ConvertFrom-TestBase64Url $script:Token.Split('.')[1]))
        $json | Should -BeLike '*"client_id":"krjwt-tests"*'
        $tampered = Set-TestTokenSegment -Token $script:Token -Index 1 -Json $json.Replace('"client_id":"krjwt-tests"', '"client_id":"intruder"')
        Get-Reason $script:Parameters $tampered | Should -Be 'InvalidSignature'
    }

    It 'refuses a token the provider issued for another resource (InvalidAudience)' {
        $other = Get-TestOidcToken $script:Provider -Resource 'urn:krjwt:other'
        (Get-TestTokenPayload $other)['aud'] | Should -Be 'urn:krjwt:other'
        Get-Reason $script:Parameters $other | Should -Be 'InvalidAudience'
    }

    It 'refuses the token with parameters for another audience (InvalidAudience)' {
        $wrong = Get-KrJWTValidationParameter -Authority $script:Provider.Url -Audience 'urn:krjwt:billing'
        Get-Reason $wrong $script:Token | Should -Be 'InvalidAudience'
    }

    It 'takes the key set URL directly with -JwksUri, -Issuer and -Audience' {
        $direct = Get-KrJWTValidationParameter -JwksUri "$($script:Provider.Url)/jwks" -Issuer $script:Provider.Url -Audience $script:Orders
        $direct.Authority | Should -BeNullOrEmpty
        $direct.JwksUri | Should -Be "$($script:Provider.Url)/jwks"
        Get-Reason $direct $script:Token | Should -Be 'Valid'
        $otherIssuer = Get-KrJWTValidationParameter -JwksUri "$($script:Provider.Url)/jwks" -Issuer 'https://login.example.com' -Audience $script:Orders
        Get-Reason $otherIssuer $script:Token | Should -Be 'InvalidIssuer'
    }

    It 'refuses an authority the discovery document does not name as its issuer, naming both' {
        $localhost = $script:Provider.Url.Replace('127.0.0.1', 'localhost')
        $thrown = $null
        try { $null = Get-KrJWTValidationParameter -Authority $localhost -Audience $script:Orders } catch { $thrown = $_ }
        $thrown | Should -Not -BeNullOrEmpty
        $thrown.FullyQualifiedErrorId | Should -BeLike 'KrJwt.InvalidArgument,*'
        $thrown.Exception.Message | Should -BeLike "*'$($script:Provider.Url)'*"
        $thrown.Exception.Message | Should -BeLike "*'$localhost'*"
    }

    It 'ignores a trailing slash on the authority' {
        $slash = Get-KrJWTValidationParameter -Authority "$($script:Provider.Url)/" -Audience $script:Orders
        $slash.Issuers | Should -Be @($script:Provider.Url)
        Get-Reason $slash $script:Token | Should -Be 'Valid'
    }

    It 'fetches the key set again after its max age, with -Verbose saying so' {
        $before = Get-TestOidcRequestCount $script:Provider '/jwks'
        $maxAge = [TimeSpan]::FromSeconds(3)
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $short = Get-KrJWTValidationParameter -Authority $script:Provider.Url -Audience $script:Orders -JwksMaxAge $maxAge
        Get-Reason $short $script:Token | Should -Be 'Valid'
        $watch.Elapsed | Should -BeLessThan $maxAge -Because 'the first validation came before the max age'
        Get-TestOidcRequestCount $script:Provider '/jwks' | Should -Be ($before + 1) -Because 'fresh parameters use the set they fetched'
        Wait-Past $watch $maxAge
        $output = @(Test-KrJWT -ValidationParameter $short -Token $script:Token -Verbose 4>&1)
        $output[-1] | Should -BeTrue
        @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n" |
            Should -Match "GET $([regex]::Escape($script:Provider.Url))/jwks: 200, 1 key\(s\)"
        Get-TestOidcRequestCount $script:Provider '/jwks' | Should -Be ($before + 2)
    }
}

Describe 'Key rotation and the refetch cooldown' {
    BeforeAll {
        $script:Cooldown = [TimeSpan]::FromSeconds(8)
        $script:Provider = Start-TestOidcProvider -KeyIds 'old'
    }
    AfterAll {
        Stop-TestProcess $script:Provider
        Remove-TestOidcKeyFolder $script:Provider
    }

    It 'validates the new key''s tokens with the same parameters after the cooldown, and the old key''s still' {
        $parameters = Get-KrJWTValidationParameter -Authority $script:Provider.Url -Audience $script:Orders -JwksCooldown $script:Cooldown
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $oldToken = Get-TestOidcToken $script:Provider
        $script:RotationBefore = Get-TestOidcRequestCount $script:Provider '/jwks'
        $script:Provider = Restart-TestOidcProvider $script:Provider -KeyIds 'new', 'old'
        $newToken = Get-TestOidcToken $script:Provider
        (Get-TestTokenHeader $newToken)['kid'] | Should -Be 'new'

        # Within the cooldown the new key is not fetched: the token names a key the set lacks.
        $watch.Elapsed | Should -BeLessThan $script:Cooldown -Because 'the provider restarted within the cooldown'
        Get-Reason $parameters $newToken | Should -Be 'KeyNotFound'
        Get-TestOidcRequestCount $script:Provider '/jwks' | Should -Be 0

        # After it: one fetch, while other runspaces keep validating the old key's token.
        Wait-Past $watch $script:Cooldown
        $during = [System.Collections.Generic.List[string]]::new()
        $iss = [initialsessionstate]::CreateDefault2()
        $iss.ImportPSModule($script:ModuleManifest)
        $runspaces = [runspacefactory]::CreateRunspacePool(1, 4, $iss, $Host)
        $runspaces.Open()
        try {
            $jobs = foreach ($i in 1..4) {
                $ps = [powershell]::Create()
                $ps.RunspacePool = $runspaces
                $null = $ps.AddScript({ param($p, $t) foreach ($n in 1..40) { (Test-KrJWT -ValidationParameter $p -Token $t -Detailed).Reason.ToString() } }).AddArgument($parameters).AddArgument($oldToken)
                [pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
            }
            Get-Reason $parameters $newToken | Should -Be 'Valid'
            foreach ($job in $jobs) { foreach ($r in $job.PowerShell.EndInvoke($job.Handle)) { $during.Add([string]$r) }; $job.PowerShell.Dispose() }
        }
        finally { $runspaces.Dispose() }
        @($during | Where-Object { $_ -ne 'Valid' }) | Should -HaveCount 0 -Because 'the key set is swapped atomically'
        $during.Count | Should -Be 160

        Get-Reason $parameters $oldToken | Should -Be 'Valid'
        Get-Reason $parameters $newToken | Should -Be 'Valid'
        $parameters.KeyIds | Should -Be @('new', 'old')
        $script:RotationAfter = Get-TestOidcRequestCount $script:Provider '/jwks'
        $script:RotationBefore | Should -Be 1
        $script:RotationAfter | Should -Be 1
        [Console]::WriteLine("    Rotation: the provider saw $script:RotationBefore key set request(s) before the restart and $script:RotationAfter after it.")
    }

    It 'fetches at most once per cooldown for a burst of tokens naming unknown keys (RunspacePool)' {
        $cooldown = [TimeSpan]::FromSeconds(4)
        $parameters = Get-KrJWTValidationParameter -Authority $script:Provider.Url -Audience $script:Orders -JwksCooldown $cooldown
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $start = Get-TestOidcRequestCount $script:Provider '/jwks'
        $valid = Get-TestOidcToken $script:Provider
        $unknown = @(foreach ($i in 1..40) { Set-TestKid $valid "unknown-$i" })

        Wait-Past $watch $cooldown
        $reasons = @(Invoke-TestPool $parameters $unknown)
        $reasons | Should -HaveCount 40
        @($reasons | Where-Object { $_ -ne 'KeyNotFound' }) | Should -HaveCount 0
        $afterFirst = Get-TestOidcRequestCount $script:Provider '/jwks'
        $afterFirst - $start | Should -Be 1 -Because 'one burst after the cooldown makes one fetch'

        $watch.Restart()
        $null = Invoke-TestPool $parameters $unknown
        $afterSecond = Get-TestOidcRequestCount $script:Provider '/jwks'
        $watch.Elapsed | Should -BeLessThan $cooldown -Because 'the second burst ran within the cooldown'
        $afterSecond | Should -Be $afterFirst -Because 'a burst within the cooldown makes no fetch'

        Wait-Past $watch $cooldown
        $null = Invoke-TestPool $parameters $unknown
        $afterThird = Get-TestOidcRequestCount $script:Provider '/jwks'
        $afterThird - $afterSecond | Should -Be 1
        Get-Reason $parameters $valid | Should -Be 'Valid'
        [Console]::WriteLine("    Burst: 3 bursts of 40 unknown kids; the provider saw $($afterThird - $start + 1) key set requests in all (1 at creation, then $($afterFirst - $start), $($afterSecond - $afterFirst), $($afterThird - $afterSecond)).")
    }
}

Describe 'A provider that goes away' {
    BeforeAll {
        $script:Provider = Start-TestOidcProvider -KeyIds 'k1'
        $script:Cooldown = [TimeSpan]::FromSeconds(2)
        $script:Parameters = Get-KrJWTValidationParameter -Authority $script:Provider.Url -Audience $script:Orders -JwksCooldown $script:Cooldown
        $script:Watch = [System.Diagnostics.Stopwatch]::StartNew()
        $script:Token = Get-TestOidcToken $script:Provider
        $script:Unknown = Set-TestKid $script:Token 'rotated-away'
        Stop-TestProcess $script:Provider
    }
    AfterAll {
        Stop-TestProcess $script:Provider
        Remove-TestOidcKeyFolder $script:Provider
    }

    It 'keeps validating with the cached keys' {
        Get-Reason $script:Parameters $script:Token | Should -Be 'Valid'
    }

    It 'refuses a token needing a key it cannot fetch with its own reason (KeySetUnavailable), saying why' {
        Wait-Past $script:Watch $script:Cooldown
        $output = @(Test-KrJWT -ValidationParameter $script:Parameters -Token $script:Unknown -Detailed -Verbose 4>&1)
        $report = $output | Where-Object { $_ -is [KrJwt.JwtValidationReport] }
        $report.Reason.ToString() | Should -Be 'KeySetUnavailable'
        $report.Message | Should -BeLike "*'rotated-away'*"
        $report.Message | Should -BeLike "*GET $($script:Provider.Url)/jwks failed*"
        $verbose = @($output | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object Message) -join "`n"
        $verbose | Should -BeLike "*GET $($script:Provider.Url)/jwks failed*Keeping the 1 cached key(s); next attempt at*"
        $script:Parameters.KeySetError | Should -BeLike "GET $($script:Provider.Url)/jwks failed*"
        # Within the next cooldown nothing is tried; the answer stays the same.
        Get-Reason $script:Parameters $script:Unknown | Should -Be 'KeySetUnavailable'
        Get-Reason $script:Parameters $script:Token | Should -Be 'Valid'
    }

    It 'recovers once the provider is back' {
        $script:Provider = Restart-TestOidcProvider $script:Provider -KeyIds 'k1'
        $back = [System.Diagnostics.Stopwatch]::StartNew()
        Wait-Past $back $script:Cooldown
        Get-Reason $script:Parameters $script:Unknown | Should -Be 'KeyNotFound'
        $script:Parameters.KeySetError | Should -BeNullOrEmpty
        Get-TestOidcRequestCount $script:Provider '/jwks' | Should -Be 1
    }

    It 'is a terminating error naming the URL and the cause when the provider is unreachable at creation' {
        $closed = "http://127.0.0.1:$(Get-TestFreePort)"
        { Get-KrJWTValidationParameter -Authority $closed -Audience $script:Orders } |
            Should -Throw -ErrorId 'KrJwt.ProviderUnreachable,*' -ExpectedMessage "*$closed/.well-known/openid-configuration failed*refused*"
        { Get-KrJWTValidationParameter -JwksUri "$closed/jwks" -Issuer $closed -Audience $script:Orders } |
            Should -Throw -ErrorId 'KrJwt.ProviderUnreachable,*' -ExpectedMessage "*$closed/jwks failed*"
    }
}

Describe 'What is fetched, and how' {
    BeforeAll {
        $secret = ConvertTo-TestBase64Url ([byte[]]::new(32))
        # The routes name the stub's own URL: they are added once it runs (the stub reads the same table).
        $routes = [hashtable]::Synchronized(@{})
        $script:Stub = Start-TestHttpStub $routes
        $url = $script:Stub.Url
        $table = @{
            '/slow'                             = @{ Status = 200; Body = '{"keys":[]}'; DelayMs = 3000 }
            '/moved'                            = @{ Status = 302; Body = ''; Headers = @{ Location = '/jwks' } }
            '/missing'                          = @{ Status = 404; Body = 'gone' }
            '/huge'                             = @{ Status = 200; Body = '{"keys":[' + (' ' * 600KB) + ']}' }
            '/huge-chunked'                     = @{ Status = 200; Body = '{"keys":[' + (' ' * 600KB) + ']}'; Chunked = $true }
            '/secret'                           = @{ Status = 200; Body = "{`"keys`":[{`"kty`":`"oct`",`"kid`":`"s`",`"k`":`"$secret`"}]}" }
            '/.well-known/openid-configuration' = @{ Status = 200; Body = "{`"issuer`":`"$url`",`"jwks_uri`":`"http://192.0.2.1/keys`"}" }
        }
        foreach ($path in $table.Keys) { $routes[$path] = $table[$path] }
    }
    AfterAll { Stop-TestHttpStub $script:Stub }

    It 'refuses a non-loopback http URL before any connection, saying https' {
        $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Any, 0)
        $listener.Start()
        try {
            $port = $listener.LocalEndpoint.Port
            # An address of this machine that is not loopback, when it has one: a connection would reach the listener.
            $address = @([System.Net.NetworkInformation.NetworkInterface]::GetAllNetworkInterfaces() |
                    ForEach-Object { $_.GetIPProperties().UnicastAddresses } | ForEach-Object Address |
                    Where-Object { $_.AddressFamily -eq 'InterNetwork' -and -not [System.Net.IPAddress]::IsLoopback($_) })[0]
            $hostName = if ($address) { "$address" } else { 'krjwt.invalid' }
            foreach ($call in @(
                    { Get-KrJWTValidationParameter -Authority "http://$($hostName):$port" -Audience 'a' },
                    { Get-KrJWTValidationParameter -JwksUri "http://$($hostName):$port/jwks" -Issuer 'i' -Audience 'a' },
                    { Add-KrJWTBearerAuthentication -AuthenticationScheme "oidc-$([Guid]::NewGuid())" -Authority "http://$($hostName):$port" -ValidAudience 'a' })) {
                $call | Should -Throw -ErrorId 'KrJwt.InvalidProviderUrl,*' -ExpectedMessage '*plain http*use https*'
            }
            $listener.Pending() | Should -BeFalse -Because 'nothing connected'
        }
        finally { $listener.Stop() }
        { Get-KrJWTValidationParameter -Authority 'ftp://login.example.com' -Audience 'a' } | Should -Throw -ErrorId 'KrJwt.InvalidProviderUrl,*' -ExpectedMessage '*not an absolute https URL*'
        { Get-KrJWTValidationParameter -Authority 'login.example.com' -Audience 'a' } | Should -Throw -ErrorId 'KrJwt.InvalidProviderUrl,*'
        { Get-KrJWTValidationParameter -Authority 'https://user:pw@login.example.com' -Audience 'a' } | Should -Throw -ErrorId 'KrJwt.InvalidProviderUrl,*' -ExpectedMessage '*credentials*'
    }

    It 'accepts http for every loopback host (localhost, 127.0.0.0/8, ::1): refused only for want of a server' {
        $port = Get-TestFreePort
        foreach ($hostName in 'localhost', '127.0.0.1', '127.8.9.10', '[::1]') {
            { Get-KrJWTValidationParameter -JwksUri "http://$($hostName):$port/jwks" -Issuer 'i' -Audience 'a' -JwksTimeout '00:00:02' } |
                Should -Throw -ErrorId 'KrJwt.ProviderUnreachable,*'
        }
    }

    It 'checks the key set URL a discovery document names' {
        { Get-KrJWTValidationParameter -Authority $script:Stub.Url -Audience 'a' } |
            Should -Throw -ErrorId 'KrJwt.InvalidProviderUrl,*' -ExpectedMessage '*http://192.0.2.1/keys*plain http*https*'
    }

    It 'gives up after -JwksTimeout' {
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        { Get-KrJWTValidationParameter -JwksUri "$($script:Stub.Url)/slow" -Issuer 'i' -Audience 'a' -JwksTimeout '00:00:01' } |
            Should -Throw -ErrorId 'KrJwt.ProviderUnreachable,*' -ExpectedMessage '*timed out after 1 s*'
        $watch.Elapsed | Should -BeLessThan ([TimeSpan]::FromSeconds(2.5))
    }

    It 'reads at most 512 KiB, with or without a Content-Length' {
        foreach ($path in '/huge', '/huge-chunked') {
            { Get-KrJWTValidationParameter -JwksUri "$($script:Stub.Url)$path" -Issuer 'i' -Audience 'a' } |
                Should -Throw -ErrorId 'KrJwt.ProviderUnreachable,*' -ExpectedMessage '*more than 512 KiB*'
        }
    }

    It 'follows no redirect and reports other answers' {
        { Get-KrJWTValidationParameter -JwksUri "$($script:Stub.Url)/moved" -Issuer 'i' -Audience 'a' } |
            Should -Throw -ErrorId 'KrJwt.ProviderUnreachable,*' -ExpectedMessage "*answered 302 (a redirect to $($script:Stub.Url)/jwks)*"
        { Get-KrJWTValidationParameter -JwksUri "$($script:Stub.Url)/missing" -Issuer 'i' -Audience 'a' } |
            Should -Throw -ErrorId 'KrJwt.ProviderUnreachable,*' -ExpectedMessage '*answered 404*'
    }

    It 'leaves the documents to the library: a published shared secret is refused' {
        { Get-KrJWTValidationParameter -JwksUri "$($script:Stub.Url)/secret" -Issuer 'i' -Audience 'a' } |
            Should -Throw -ErrorId 'KrJwt.InvalidKey,*' -ExpectedMessage '*shared secret*public keys only*'
    }

    It 'refuses timing values that make no sense' {
        { Get-KrJWTValidationParameter -JwksUri "$($script:Stub.Url)/jwks" -Issuer 'i' -Audience 'a' -JwksMaxAge '00:00:00' } |
            Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*-JwksMaxAge*'
        { Get-KrJWTValidationParameter -JwksUri "$($script:Stub.Url)/jwks" -Issuer 'i' -Audience 'a' -JwksCooldown '-00:00:01' } |
            Should -Throw -ErrorId 'KrJwt.InvalidArgument,*' -ExpectedMessage '*-JwksCooldown*'
    }
}

Describe 'Add-KrJWTBearerAuthentication -Authority and Test-KrJWT -FromContext' {
    BeforeAll {
        $script:Provider = Start-TestOidcProvider -KeyIds 'k1'
        $script:Scheme = 'oidc-' + [Guid]::NewGuid().ToString('N')
        $script:Token = Get-TestOidcToken $script:Provider
        function New-TestContext([string] $Token) {
            [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "Bearer $Token" } } }
        }
    }
    AfterAll {
        foreach ($name in [KrJwt.JwtBearerSchemes]::Names) { if ($name -like 'oidc-*') { $null = [KrJwt.JwtBearerSchemes]::Remove($name) } }
        Stop-TestProcess $script:Provider
        Remove-TestOidcKeyFolder $script:Provider
    }

    It 'registers a scheme that accepts the provider''s tokens for its audience only' {
        $scheme = Add-KrJWTBearerAuthentication -AuthenticationScheme $script:Scheme -Authority $script:Provider.Url -ValidAudience $script:Orders -PassThru
        $scheme.ValidationParameters.Authority | Should -Be $script:Provider.Url
        $Context = New-TestContext $script:Token
        Test-KrJWT -FromContext -Scheme $script:Scheme | Should -BeTrue
        $Context = New-TestContext (Get-TestOidcToken $script:Provider -Resource 'urn:krjwt:other')
        $report = Test-KrJWT -FromContext -Scheme $script:Scheme -Detailed
        $report.StatusCode | Should -Be 401
        $report.Reason.ToString() | Should -Be 'InvalidAudience'
    }

    It 'takes validation parameters built with -Authority, and -JwksUri with -ValidIssuer' {
        $name = 'oidc-' + [Guid]::NewGuid().ToString('N')
        Get-KrJWTValidationParameter -Authority $script:Provider.Url -Audience $script:Orders | Add-KrJWTBearerAuthentication -AuthenticationScheme $name
        $Context = New-TestContext $script:Token
        Test-KrJWT -FromContext -Scheme $name | Should -BeTrue
        $direct = 'oidc-' + [Guid]::NewGuid().ToString('N')
        Add-KrJWTBearerAuthentication -AuthenticationScheme $direct -JwksUri "$($script:Provider.Url)/jwks" -ValidIssuer $script:Provider.Url -ValidAudience $script:Orders
        Test-KrJWT -FromContext -Scheme $direct | Should -BeTrue
    }

    It 'requires an audience (and with -JwksUri an issuer)' {
        { Add-KrJWTBearerAuthentication -AuthenticationScheme 'oidc-no-audience' -Authority $script:Provider.Url } |
            Should -Throw -ErrorId 'KrJwt.MissingParameter,*' -ExpectedMessage '*-ValidAudience*'
        { Add-KrJWTBearerAuthentication -AuthenticationScheme 'oidc-no-issuer' -JwksUri "$($script:Provider.Url)/jwks" -ValidAudience $script:Orders } |
            Should -Throw -ErrorId 'KrJwt.MissingParameter,*' -ExpectedMessage '*-ValidIssuer*'
    }
}

Describe 'The example server''s /provider/hello route' {
    BeforeAll {
        $script:Provider = Start-TestOidcProvider -KeyIds 'k1'
        $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('krjwt-oidc-server-' + [Guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory $script:Work
        $script:StopFile = Join-Path $script:Work 'stop'
        $script:Server = Start-TestServer -Folder $script:Work -ArgumentList '-StopFile', $script:StopFile,
            '-Authority', $script:Provider.Url, '-ProviderAudience', 'urn:krjwt:example-server'
        function Get-Hello([string] $Token) {
            $headers = if ($Token) { @{ Authorization = "Bearer $Token" } } else { @{} }
            $response = Invoke-WebRequest "$($script:Server.Url)provider/hello" -Headers $headers -SkipHttpErrorCheck -NoProxy
            [pscustomobject]@{ Status = [int]$response.StatusCode; Body = [string]$response.Content; Challenge = [string]$response.Headers['WWW-Authenticate'] }
        }
    }
    AfterAll {
        if ($script:Server) {
            Set-Content -LiteralPath $script:StopFile -Value 'stop' -ErrorAction Ignore
            $null = $script:Server.Process.WaitForExit(10000)
            Stop-TestProcess $script:Server
        }
        Stop-TestProcess $script:Provider
        Remove-TestOidcKeyFolder $script:Provider
        Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction Ignore
    }

    It 'answers the provider''s token for the server with 200, others with 401' {
        $hello = Get-Hello (Get-TestOidcToken $script:Provider -Resource 'urn:krjwt:example-server')
        $hello.Status | Should -Be 200
        $hello.Body | Should -Be 'Provider Hello krjwt-tests'
        $other = Get-Hello (Get-TestOidcToken $script:Provider -Resource $script:Orders)
        $other.Status | Should -Be 401
        $other.Challenge | Should -BeLike '*realm="Provider"*InvalidAudience*'
        (Get-Hello $null).Status | Should -Be 401
    }
}
