#!/usr/bin/env pwsh
<#
.SYNOPSIS
A Kestrun-style scripted server on System.Net.HttpListener that issues, renews and checks JWTs with KrJwt.

.DESCRIPTION
Binds http://127.0.0.1:<Port>/ (loopback only) and prints "Listening on http://127.0.0.1:NNNN/" once it
accepts requests. Requests are served by route script blocks on a RunspacePool (each runspace imports
KrJwt; the builder template and the JWK Set are created once and shared), one log line per request
("<method> <path> <status> <ms>ms") goes to stdout.

Routes (GET):
  /token/new              Basic auth (admin:password, or guest:guest) -> 200 {"access_token","token_type":"Bearer","expires_in"}
                          wrong or missing credentials -> 401, WWW-Authenticate: Basic realm="KrJwt"
  /secure/hello           bearer -> 200 "JWT Hello <unique_name>"
  /secure/policy          bearer + claim policy CanRead (can_read = true) -> 200, else 403 (guest)
  /token/renew            bearer -> Update-KrJWT -FromContext -> 200 {"access_token",...}
  /.well-known/jwks.json  the public key the tokens are signed with (New-KrJwks)
  /provider/hello         bearer token of the identity provider of -Authority, for -ProviderAudience
                          -> 200 "Provider Hello <client_id or sub>"; 503 when the server runs without -Authority
A missing bearer token gets 401 with 'WWW-Authenticate: Bearer realm="JwtBearer"'; an invalid, forged or
expired one 401 with 'Bearer realm="JwtBearer", error="invalid_token", error_description="<Reason>: ..."'
(RFC 6750).

With -Authority, the server also accepts an OpenID provider's access tokens on /provider/hello: the
bearer scheme "Provider" fetches the provider's keys (OpenID Connect discovery) at startup and follows
its key rotation.

Tokens are RS256, signed with an RSA key generated at startup (PKCS#8 PEM made by .NET, handed to
Protect-KrJWT -Pem) or with the key of -SigningKeyPath; the bearer scheme validates them against the
server's own JWK Set, as a separate resource server would.

The server stops on Ctrl+C, or within about a second once -StopFile exists; in-flight requests get up to
5 seconds to finish.

.PARAMETER Port
The loopback port; 0 (default) picks a free one.
.PARAMETER StopFile
A path whose appearance stops the server (deleted at startup if it is already there).
.PARAMETER MaxThreads
The number of runspaces serving requests (default: 2 x processors, at least 4).
.PARAMETER SigningKeyPath
A PEM file with the RSA or EC private key to sign with (default: a new RSA 2048 key made at startup).
.PARAMETER TokenLifetime
The lifetime of issued and renewed tokens (default 1 hour).
.PARAMETER Authority
An OpenID provider's issuer URL (https; http for loopback hosts) whose access tokens /provider/hello accepts.
.PARAMETER ProviderAudience
With -Authority: the audience (aud) the provider's tokens for this server carry (its resource identifier).
.PARAMETER ModulePath
The KrJwt manifest to import (default: the staged module in out/KrJwt).

.EXAMPLE
pwsh -NoProfile -File examples/server.ps1 -Port 5000
Then: curl -u admin:password http://127.0.0.1:5000/token/new
#>
[CmdletBinding()]
param(
    [ValidateRange(0, 65535)] [int] $Port = 0,
    [string] $StopFile,
    [ValidateRange(1, 256)] [int] $MaxThreads = [Math]::Max(4, 2 * [Environment]::ProcessorCount),
    [string] $SigningKeyPath,
    [TimeSpan] $TokenLifetime = [TimeSpan]::FromHours(1),
    [string] $Authority,
    [string] $ProviderAudience,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/KrJwt/KrJwt.psd1')
)

$ErrorActionPreference = 'Stop'
$ModulePath = (Resolve-Path -LiteralPath $ModulePath).Path
Import-Module $ModulePath

function Write-Log([string] $Text) { [Console]::Out.WriteLine($Text); [Console]::Out.Flush() }

#region Keys, builder template, bearer scheme (created once, shared by every request)

$issuer = 'KrJwtServer'
$audience = 'KrJwtClients'

$template = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer $issuer | Add-KrJWTAudience -Audience $audience
if ($SigningKeyPath) {
    # RS256 for RSA, ES256/384/512 by curve for EC (Auto).
    $template = $template | Protect-KrJWT -PemPath $SigningKeyPath
}
else {
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    try { $template = $template | Protect-KrJWT -Pem $rsa.ExportPkcs8PrivateKeyPem() -Algorithm RS256 }
    finally { $rsa.Dispose() }
}
$template = $template | Limit-KrJWTValidity -Lifetime $TokenLifetime

$jwks = $template | New-KrJwks
Add-KrJWTBearerAuthentication -AuthenticationScheme 'JwtBearer' -DisplayName 'KrJwt example server' `
    -JwksJson $jwks -ValidIssuer $issuer -ValidAudience $audience `
    -ClaimPolicy @{ CanRead = @{ Claim = 'can_read'; Values = @('true') } } -WarningAction SilentlyContinue

# Tokens from an identity provider: its keys are fetched now, then kept fresh as it rotates them.
if ($Authority) {
    if (-not $ProviderAudience) { throw '-Authority needs -ProviderAudience: the audience the provider''s tokens for this server carry.' }
    Add-KrJWTBearerAuthentication -AuthenticationScheme 'Provider' -DisplayName 'Identity provider' `
        -Authority $Authority -ValidAudience $ProviderAudience -WarningAction SilentlyContinue
}

$state = [hashtable]::Synchronized(@{
        Template = $template
        Jwks     = $jwks
        Lifetime = [int] $TokenLifetime.TotalSeconds
        Provider = [bool] $Authority
        # Demo users. A real server checks a user store with hashed passwords.
        Users    = @{
            admin = @{ Password = 'password'; Role = 'admin'; CanRead = $true }
            guest = @{ Password = 'guest'; Role = 'guest'; CanRead = $false }
        }
    })

#endregion

#region The request handler (runs in the RunspacePool)

# Helpers the route uses; defined once per runspace (InitialSessionState). They see the route's
# $Context and $State through PowerShell's dynamic scoping.
$helpers = {
    function Send-Response {
        param([int] $Status, [string] $Body = '', [string] $ContentType = 'text/plain; charset=utf-8', [hashtable] $Headers = @{})
        $response = $Context.Response
        $response.StatusCode = $Status
        foreach ($name in $Headers.Keys) { $response.AddHeader($name, $Headers[$name]) }
        $bytes = [System.Text.Encoding]::UTF8.GetBytes($Body)
        $response.ContentType = $ContentType
        $response.ContentLength64 = $bytes.Length
        $response.OutputStream.Write($bytes, 0, $bytes.Length)
        $Status
    }

    function Send-Json {
        param([int] $Status, [System.Collections.IDictionary] $Object)
        Send-Response -Status $Status -Body (ConvertTo-Json -InputObject $Object -Compress) -ContentType 'application/json; charset=utf-8'
    }

    # The bearer report of the request; when it is not valid, the 401/403 answer with its RFC 6750
    # challenge has already been sent.
    function Test-Bearer {
        param([string] $Policy, [string] $Scheme = 'JwtBearer')
        $report = if ($Policy) { Test-KrJWT -FromContext -Scheme $Scheme -Policy $Policy -Detailed } else { Test-KrJWT -FromContext -Scheme $Scheme -Detailed }
        if ($report.IsValid) { return $report }
        $body = if ($report.StatusCode -eq 403) { "Forbidden: $($report.Message)" } else { "Unauthorized: $($report.Message)" }
        $null = Send-Response -Status $report.StatusCode -Body $body -Headers @{ 'WWW-Authenticate' = $report.Challenge }
        $report
    }

    # The user name of valid Basic credentials, else $null.
    function Get-BasicUser {
        $header = $Context.Request.Headers['Authorization']
        if (-not $header -or $header.Length -le 6 -or -not $header.StartsWith('Basic ', [StringComparison]::OrdinalIgnoreCase)) { return $null }
        try { $pair = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($header.Substring(6).Trim())) } catch { return $null }
        $colon = $pair.IndexOf(':')
        if ($colon -lt 1) { return $null }
        $name = $pair.Substring(0, $colon)
        $user = $State.Users[$name]
        if (-not $user) { return $null }
        $given = [System.Text.Encoding]::UTF8.GetBytes($pair.Substring($colon + 1))
        $expected = [System.Text.Encoding]::UTF8.GetBytes($user.Password)
        if ([System.Security.Cryptography.CryptographicOperations]::FixedTimeEquals($given, $expected)) { $name } else { $null }
    }
}

$handler = {
    param($Context, $State)

    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $request = $Context.Request
    $path = $request.Url.AbsolutePath
    $status = 500
    try {
        $routes = @('/token/new', '/token/renew', '/secure/hello', '/secure/policy', '/.well-known/jwks.json', '/provider/hello')
        if ($routes -notcontains $path) {
            $status = Send-Response -Status 404 -Body 'Not found'
        }
        elseif ($request.HttpMethod -ne 'GET') {
            $status = Send-Response -Status 405 -Body 'Method not allowed' -Headers @{ Allow = 'GET' }
        }
        else {
            switch ($path) {
                '/token/new' {
                    $name = Get-BasicUser
                    if (-not $name) {
                        $status = Send-Response -Status 401 -Body 'Unauthorized: Basic credentials required' -Headers @{ 'WWW-Authenticate' = 'Basic realm="KrJwt"' }
                        break
                    }
                    $user = $State.Users[$name]
                    $builder = Copy-KrJWTTokenBuilder -Builder $State.Template |
                        Add-KrJWTSubject -Subject $name |
                        Add-KrJWTClaim -UserClaimType Name -Value $name |
                        Add-KrJWTClaim -UserClaimType Role -Value $user.Role
                    if ($user.CanRead) { $builder = $builder | Add-KrJWTClaim -ClaimType 'can_read' -Value 'true' }
                    $build = $builder | Build-KrJWT
                    $status = Send-Json 200 ([ordered]@{
                            access_token = ($build | Get-KrJWTToken)
                            token_type   = 'Bearer'
                            expires_in   = [long] ($build.Expires - $build.NotBefore).TotalSeconds
                        })
                }
                '/secure/hello' {
                    $report = Test-Bearer
                    if (-not $report.IsValid) { $status = $report.StatusCode; break }
                    $status = Send-Response -Status 200 -Body "JWT Hello $($report.Claims['unique_name'])"
                }
                '/secure/policy' {
                    $report = Test-Bearer -Policy 'CanRead'
                    if (-not $report.IsValid) { $status = $report.StatusCode; break }
                    $status = Send-Response -Status 200 -Body "Welcome, $($report.Claims['unique_name']): you have the 'can_read' permission."
                }
                '/token/renew' {
                    $report = Test-Bearer
                    if (-not $report.IsValid) { $status = $report.StatusCode; break }
                    $newToken = $State.Template | Update-KrJWT -FromContext
                    $status = Send-Json 200 ([ordered]@{ access_token = $newToken; token_type = 'Bearer'; expires_in = [long] $State.Lifetime })
                }
                '/provider/hello' {
                    if (-not $State.Provider) {
                        $status = Send-Response -Status 503 -Body 'No identity provider configured: start the server with -Authority and -ProviderAudience.'
                        break
                    }
                    $report = Test-Bearer -Scheme 'Provider'
                    if (-not $report.IsValid) { $status = $report.StatusCode; break }
                    $caller = if ($report.Claims['client_id']) { $report.Claims['client_id'] } else { $report.Claims['sub'] }
                    $status = Send-Response -Status 200 -Body "Provider Hello $caller"
                }
                '/.well-known/jwks.json' {
                    $status = Send-Response -Status 200 -Body $State.Jwks -ContentType 'application/json; charset=utf-8'
                }
            }
        }
    }
    catch {
        $message = $_.Exception.Message
        try { $status = Send-Response -Status 500 -Body 'Internal server error' } catch { $status = 500 }
        [Console]::Error.WriteLine("error on $($request.HttpMethod) $path : $message")
    }
    finally {
        try { $Context.Response.Close() } catch { }
        [Console]::Out.WriteLine(('{0} {1} {2} {3}ms' -f $request.HttpMethod, $path, $status, [Math]::Round($watch.Elapsed.TotalMilliseconds, 1)))
    }
}

#endregion

#region Listener, pool, accept loop

function New-Listener([int] $RequestedPort) {
    for ($attempt = 1; $attempt -le 10; $attempt++) {
        $candidate = $RequestedPort
        if ($candidate -eq 0) {
            # Ask the OS for a free loopback port, then bind the HttpListener to it.
            $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
            $probe.Start()
            $candidate = $probe.LocalEndpoint.Port
            $probe.Stop()
        }
        $listener = [System.Net.HttpListener]::new()
        $listener.Prefixes.Add("http://127.0.0.1:$candidate/")
        try {
            $listener.Start()
            return @{ Listener = $listener; Port = $candidate }
        }
        catch [System.Net.HttpListenerException] {
            $listener.Close()
            if ($RequestedPort -ne 0) { throw }
        }
    }
    throw 'No free loopback port could be bound after 10 attempts.'
}

if ($StopFile) {
    $StopFile = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($StopFile)
    Remove-Item -LiteralPath $StopFile -ErrorAction Ignore
}

$iss = [initialsessionstate]::CreateDefault2()
$iss.ImportPSModule($ModulePath)
$iss.Commands.Add([System.Management.Automation.Runspaces.SessionStateFunctionEntry]::new('Invoke-KrRoute', $handler.ToString()))
# Each helper becomes a function of every runspace.
$helperAst = $helpers.Ast.EndBlock.Statements
foreach ($definition in $helperAst) {
    # (Helpers declare their parameters in a param() block: the body is what becomes the function.)
    if ($definition.Parameters) { throw "Helper $($definition.Name): use a param() block." }
    $iss.Commands.Add([System.Management.Automation.Runspaces.SessionStateFunctionEntry]::new($definition.Name, $definition.Body.GetScriptBlock().ToString()))
}
$pool = [runspacefactory]::CreateRunspacePool(1, $MaxThreads, $iss, $Host)
$pool.Open()

$bound = New-Listener $Port
$listener = $bound.Listener
$inflight = [System.Collections.Generic.List[object]]::new()

# Ends finished invocations (and, with -All, waits for the rest up to the deadline).
function Complete-Requests([switch] $All, [TimeSpan] $Timeout = [TimeSpan]::FromSeconds(5)) {
    $deadline = [DateTime]::UtcNow + $Timeout
    for ($i = $inflight.Count - 1; $i -ge 0; $i--) {
        $item = $inflight[$i]
        if ($All) {
            $left = $deadline - [DateTime]::UtcNow
            if ($left -gt [TimeSpan]::Zero) { $null = $item.Handle.AsyncWaitHandle.WaitOne($left) }
        }
        if ($item.Handle.IsCompleted) {
            try { $null = $item.PowerShell.EndInvoke($item.Handle) }
            catch { [Console]::Error.WriteLine("request failed: $($_.Exception.Message)") }
            $item.PowerShell.Dispose()
            $inflight.RemoveAt($i)
        }
        elseif ($All) {
            $item.PowerShell.Stop()
            $item.PowerShell.Dispose()
            $inflight.RemoveAt($i)
        }
    }
}

Write-Log "Listening on http://127.0.0.1:$($bound.Port)/"
try {
    $next = $listener.GetContextAsync()
    while ($true) {
        if ($StopFile -and (Test-Path -LiteralPath $StopFile)) {
            Write-Log 'Stop file found: stopping.'
            break
        }
        # Short waits keep the loop responsive to Ctrl+C and to the stop file.
        if (-not $next.Wait(200)) {
            Complete-Requests
            continue
        }
        $context = $next.Result
        $next = $listener.GetContextAsync()
        $ps = [powershell]::Create()
        $ps.RunspacePool = $pool
        $null = $ps.AddCommand('Invoke-KrRoute').AddArgument($context).AddArgument($state)
        $inflight.Add([pscustomobject]@{ PowerShell = $ps; Handle = $ps.BeginInvoke() })
        if ($inflight.Count -ge 64) { Complete-Requests }
    }
}
finally {
    # Runs on the stop file and on Ctrl+C alike.
    try { $listener.Stop() } catch { }
    Complete-Requests -All
    $listener.Close()
    $pool.Close()
    $pool.Dispose()
    Write-Log 'Stopped.'
}
#endregion
