# End to end: starts examples/server.ps1 in a child PowerShell process on a free loopback port, drives
# every route over real HTTP with HttpClient, then stops it with its stop file and checks that it
# exits within 10 seconds. The child is killed in AfterAll whatever happens.
#
# The server signs with an RSA key this test makes (-SigningKeyPath), so that the test can also sign an
# expired token the server must refuse (test-only JOSE: RS256 with .NET's RSA).

BeforeAll {
    . (Join-Path $PSScriptRoot 'TestHelpers.ps1')

    $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('krjwt-server-' + [Guid]::NewGuid().ToString('N'))
    $null = New-Item -ItemType Directory $script:Work
    $script:StopFile = Join-Path $script:Work 'stop'
    $script:KeyFile = Join-Path $script:Work 'signing.pem'
    $script:Rsa = [System.Security.Cryptography.RSA]::Create(2048)
    Set-Content -LiteralPath $script:KeyFile -Value $script:Rsa.ExportPkcs8PrivateKeyPem()

    $script:Run = Start-TestServer -Folder $script:Work -ArgumentList '-StopFile', $script:StopFile, '-SigningKeyPath', $script:KeyFile
    $script:Server = $script:Run.Process
    $script:BaseUrl = $script:Run.Url

    # HttpClient for the concurrent requests (Invoke-WebRequest sends one at a time).
    $handler = [System.Net.Http.SocketsHttpHandler]::new()
    $handler.UseProxy = $false
    $script:Http = [System.Net.Http.HttpClient]::new($handler)
    $script:Http.BaseAddress = [Uri] $script:BaseUrl
    $script:Http.Timeout = [TimeSpan]::FromSeconds(10)

    # Sends a request; -Bearer / -Basic add the Authorization header. Returns status, content type,
    # WWW-Authenticate challenge and body.
    function Invoke-TestRequest {
        param([string] $Path, [string] $Bearer, [string] $Basic, [string] $Method = 'GET', [string] $RawAuthorization)
        $headers = @{}
        if ($Bearer) { $headers.Authorization = "Bearer $Bearer" }
        if ($Basic) { $headers.Authorization = 'Basic ' + [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($Basic)) }
        if ($RawAuthorization) { $headers.Authorization = $RawAuthorization }
        $response = Invoke-WebRequest -Uri ($script:BaseUrl + $Path.TrimStart('/')) -Method $Method -Headers $headers -NoProxy -TimeoutSec 10 `
            -SkipHttpErrorCheck -SkipHeaderValidation
        [pscustomobject]@{
            Status      = [int] $response.StatusCode
            ContentType = "$($response.Headers['Content-Type'])"
            Challenge   = if ($response.Headers.ContainsKey('WWW-Authenticate')) { @($response.Headers['WWW-Authenticate']) -join ', ' }
            Body        = if ($response.Content -is [byte[]]) { [System.Text.Encoding]::UTF8.GetString($response.Content) } else { $response.Content }
        }
    }

    function Get-TestAccessToken([string] $Credentials = 'admin:password') {
        $basic = 'Basic ' + [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($Credentials))
        (Invoke-RestMethod -Uri "$($script:BaseUrl)token/new" -Headers @{ Authorization = $basic } -NoProxy -TimeoutSec 10).access_token
    }

    # An RS256 token signed here with the server's key (test-only JOSE).
    function New-TestRs256Token([string] $Kid, [string] $PayloadJson) {
        $enc = [System.Text.Encoding]::UTF8
        $header = '{"alg":"RS256","kid":"' + $Kid + '","typ":"JWT"}'
        $signingInput = (ConvertTo-TestBase64Url $enc.GetBytes($header)) + '.' + (ConvertTo-TestBase64Url $enc.GetBytes($PayloadJson))
        $signature = $script:Rsa.SignData($enc.GetBytes($signingInput), [System.Security.Cryptography.HashAlgorithmName]::SHA256,
            [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
        $signingInput + '.' + (ConvertTo-TestBase64Url $signature)
    }

    $script:AdminToken = Get-TestAccessToken
}

AfterAll {
    if ($script:Http) { $script:Http.Dispose() }
    Stop-TestProcess $script:Run
    if ($script:Rsa) { $script:Rsa.Dispose() }
    if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction Ignore }
}

Describe 'examples/server.ps1 over HTTP' {
    It 'listens on a loopback port' {
        $script:BaseUrl | Should -Match '^http://127\.0\.0\.1:\d+/$'
        $script:Server.HasExited | Should -BeFalse
    }

    It 'GET /token/new with Basic admin:password issues a bearer token (JSON)' {
        $response = Invoke-TestRequest '/token/new' -Basic 'admin:password'
        $response.Status | Should -Be 200
        $response.ContentType | Should -Be 'application/json; charset=utf-8'
        $json = $response.Body | ConvertFrom-Json -AsHashtable
        $json['access_token'] | Should -Not -BeNullOrEmpty
        $json['token_type'] | Should -Be 'Bearer'
        $json['expires_in'] | Should -Be 3600
        $payload = Get-TestTokenPayload $json['access_token']
        $payload['sub'] | Should -Be 'admin'
        $payload['unique_name'] | Should -Be 'admin'
        $payload['role'] | Should -Be 'admin'
        (Get-TestTokenHeader $json['access_token'])['alg'] | Should -Be 'RS256'
    }

    It 'an Invoke-RestMethod token response and JWK Set pipe straight into Get-KrJWTValidationParameter, Test-KrJWT and Get-KrJWTInfo' {
        $basic = @{ Authorization = 'Basic ' + [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes('admin:password')) }
        $response = Invoke-RestMethod -Uri ($script:BaseUrl + 'token/new') -Headers $basic -NoProxy
        $jwks = Invoke-RestMethod -Uri ($script:BaseUrl + '.well-known/jwks.json') -NoProxy
        $jwks | Should -BeOfType [pscustomobject]
        $validation = Get-KrJWTValidationParameter -JwksJson $jwks -Issuer 'KrJwtServer' -Audience 'KrJwtClients'
        $response | Test-KrJWT -ValidationParameter $validation | Should -BeTrue
        ($response | Get-KrJWTInfo).Subject | Should -Be 'admin'
    }

    It 'GET /token/new with <Case> answers 401 with a Basic challenge' -TestCases @(
        @{ Case = 'a wrong password'; Credentials = 'admin:wrong' },
        @{ Case = 'an unknown user'; Credentials = 'mallory:password' },
        @{ Case = 'no credentials'; Credentials = $null }
    ) {
        param($Case, $Credentials)
        $response = if ($Credentials) { Invoke-TestRequest '/token/new' -Basic $Credentials } else { Invoke-TestRequest '/token/new' }
        $response.Status | Should -Be 401
        $response.Challenge | Should -Be 'Basic realm="KrJwt"'
    }

    It 'GET /secure/hello with the bearer token answers "JWT Hello admin"' {
        $response = Invoke-TestRequest '/secure/hello' -Bearer $script:AdminToken
        $response.Status | Should -Be 200
        $response.ContentType | Should -Be 'text/plain; charset=utf-8'
        $response.Body | Should -BeExactly 'JWT Hello admin'
    }

    It 'accepts the bearer scheme in any case' {
        (Invoke-TestRequest '/secure/hello' -RawAuthorization "bearer $script:AdminToken").Body | Should -BeExactly 'JWT Hello admin'
    }

    It 'GET /secure/hello without a token answers 401 with a plain Bearer challenge' {
        $response = Invoke-TestRequest '/secure/hello'
        $response.Status | Should -Be 401
        $response.Challenge | Should -Be 'Bearer realm="JwtBearer"'
        $response.Challenge | Should -Not -Match 'error='
    }

    It 'GET /secure/hello with a forged token (payload changed) answers 401 invalid_token' {
        $json = [System.Text.Encoding]::UTF8.GetString((ConvertFrom-TestBase64Url $script:AdminToken.Split('.')[1]))
        $forged = Set-TestTokenSegment -Token $script:AdminToken -Index 1 -Json $json.Replace('"unique_name":"admin"', '"unique_name":"root"')
        $forged | Should -Not -Be $script:AdminToken
        $response = Invoke-TestRequest '/secure/hello' -Bearer $forged
        $response.Status | Should -Be 401
        $response.Challenge | Should -Match '^Bearer realm="JwtBearer", error="invalid_token", error_description="InvalidSignature: '
    }

    It 'GET /secure/hello with an expired token answers 401 invalid_token (Expired)' {
        $kid = (Get-TestTokenHeader $script:AdminToken)['kid']
        $now = [DateTimeOffset]::UtcNow.ToUnixTimeSeconds()
        $payload = "{`"sub`":`"admin`",`"unique_name`":`"admin`",`"nbf`":$($now - 7200),`"exp`":$($now - 3600),`"iat`":$($now - 7200),`"iss`":`"KrJwtServer`",`"aud`":`"KrJwtClients`"}"
        $expired = New-TestRs256Token -Kid $kid -PayloadJson $payload
        $response = Invoke-TestRequest '/secure/hello' -Bearer $expired
        $response.Status | Should -Be 401
        $response.Challenge | Should -Match 'error="invalid_token", error_description="Expired: '
        # The same hand-signed token with a live exp is accepted: the refusal is about time, not the signature.
        $live = New-TestRs256Token -Kid $kid -PayloadJson $payload.Replace("$($now - 3600)", "$($now + 600)")
        (Invoke-TestRequest '/secure/hello' -Bearer $live).Body | Should -BeExactly 'JWT Hello admin'
    }

    It 'GET /secure/hello with a token of another issuer key answers 401' {
        $foreign = (New-TestBuilder -Issuer 'KrJwtServer' -Audience 'KrJwtClients' | Build-KrJWT).Token
        (Invoke-TestRequest '/secure/hello' -Bearer $foreign).Status | Should -Be 401
    }

    It 'GET /token/renew returns a new token that works on /secure/hello' {
        $response = Invoke-TestRequest '/token/renew' -Bearer $script:AdminToken
        $response.Status | Should -Be 200
        $response.ContentType | Should -Be 'application/json; charset=utf-8'
        $renewed = ($response.Body | ConvertFrom-Json).access_token
        $renewed | Should -Not -BeNullOrEmpty
        $payload = Get-TestTokenPayload $renewed
        $payload['unique_name'] | Should -Be 'admin'
        $payload['aud'] | Should -Be 'KrJwtClients'
        (Invoke-TestRequest '/secure/hello' -Bearer $renewed).Body | Should -BeExactly 'JWT Hello admin'
    }

    It 'GET /token/renew refuses a missing or forged token with 401' {
        (Invoke-TestRequest '/token/renew').Status | Should -Be 401
        (Invoke-TestRequest '/token/renew' -Bearer ($script:AdminToken + 'x')).Status | Should -Be 401
    }

    It 'GET /secure/policy answers 200 for a token with can_read=true' {
        $response = Invoke-TestRequest '/secure/policy' -Bearer $script:AdminToken
        $response.Status | Should -Be 200
        $response.Body | Should -Match "can_read"
    }

    It 'GET /secure/policy answers 403 for a valid token without can_read' {
        $guest = Get-TestAccessToken 'guest:guest'
        (Invoke-TestRequest '/secure/hello' -Bearer $guest).Body | Should -BeExactly 'JWT Hello guest'
        $response = Invoke-TestRequest '/secure/policy' -Bearer $guest
        $response.Status | Should -Be 403
        $response.Challenge | Should -Match 'error="insufficient_scope"'
    }

    It 'GET /secure/policy answers 401 without a token' {
        (Invoke-TestRequest '/secure/policy').Status | Should -Be 401
    }

    It 'GET /.well-known/jwks.json publishes the signing key; tokens validate against it' {
        $response = Invoke-TestRequest '/.well-known/jwks.json'
        $response.Status | Should -Be 200
        $response.ContentType | Should -Be 'application/json; charset=utf-8'
        $keys = ($response.Body | ConvertFrom-Json -AsHashtable)['keys']
        $keys | Should -HaveCount 1
        $keys[0]['kty'] | Should -Be 'RSA'
        $keys[0]['kid'] | Should -Be (Get-TestTokenHeader $script:AdminToken)['kid']
        $keys[0].Contains('d') | Should -BeFalse
        $validation = Get-KrJWTValidationParameter -JwksJson $response.Body -Issuer 'KrJwtServer' -Audience 'KrJwtClients'
        Test-KrJWT -Token $script:AdminToken -ValidationParameter $validation | Should -BeTrue
        Test-KrJWT -Token ($script:AdminToken + 'x') -ValidationParameter $validation | Should -BeFalse
    }

    It 'answers 404 for an unknown path and 405 for another method' {
        (Invoke-TestRequest '/nope').Status | Should -Be 404
        (Invoke-TestRequest '/secure/hello' -Method 'POST' -Bearer $script:AdminToken).Status | Should -Be 405
    }

    It 'serves concurrent requests (16 at once)' {
        $tasks = foreach ($i in 1..16) {
            $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Get, '/secure/hello')
            $request.Headers.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $script:AdminToken)
            $script:Http.SendAsync($request)
        }
        $all = [System.Threading.Tasks.Task]::WhenAll([System.Threading.Tasks.Task[]] @($tasks))
        $all.Wait([TimeSpan]::FromSeconds(30)) | Should -BeTrue
        foreach ($task in $tasks) {
            [int] $task.Result.StatusCode | Should -Be 200
            $task.Result.Content.ReadAsStringAsync().GetAwaiter().GetResult() | Should -BeExactly 'JWT Hello admin'
            $task.Result.Dispose()
        }
    }

    It 'logs one line per request: method, path, status, milliseconds' {
        $null = Invoke-TestRequest '/secure/hello' -Bearer $script:AdminToken
        Start-Sleep -Milliseconds 200
        $log = Get-Content -LiteralPath $script:Run.OutFile -Raw
        $log | Should -Match '(?m)^GET /token/new 200 [\d.]+ms'
        $log | Should -Match '(?m)^GET /token/new 401 [\d.]+ms'
        $log | Should -Match '(?m)^GET /secure/hello 401 [\d.]+ms'
        $log | Should -Match '(?m)^GET /secure/policy 403 [\d.]+ms'
        $log | Should -Match '(?m)^POST /secure/hello 405 [\d.]+ms'
    }

    It 'wrote nothing to stderr' {
        Get-Content -LiteralPath $script:Run.ErrFile -Raw | Should -BeNullOrEmpty
    }

    It 'stops within 10 s once the stop file appears, with exit code 0' {
        Set-Content -LiteralPath $script:StopFile -Value 'stop'
        $watch = [System.Diagnostics.Stopwatch]::StartNew()
        $script:Server.WaitForExit(10000) | Should -BeTrue
        $watch.Elapsed.TotalSeconds | Should -BeLessThan 10
        $script:Server.ExitCode | Should -Be 0
        $null = $script:Run.Drains[0].Task.Wait(2000)
        Get-Content -LiteralPath $script:Run.OutFile -Raw | Should -Match 'Stopped\.'
    }
}
