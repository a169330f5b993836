#!/usr/bin/env pwsh
<#
.SYNOPSIS
Load test of the example server's bearer-protected /secure/hello route.

.DESCRIPTION
Starts examples/server.ps1 on a free loopback port (or uses -Url), gets a token from /token/new (Basic
admin:password), runs a warm-up, then -Clients concurrent clients (one runspace each, sharing one
HttpClient) call GET /secure/hello with the bearer token for -Seconds seconds. Reports requests/s, the
p50/p90/p99/max latency, the errors, and the server process's resident set size (RSS) after the
warm-up and after the run (from its Process object). The server it starts is the same PowerShell as the
one running this script (tools/Get-PwshCommand.ps1), started directly: the process measured is the
server's, never a launcher's.

Exits 1 when any request failed (status other than 200 or a wrong body), or when the server's RSS grew
by more than -MaxRssGrowthPercent (default 20) during the run; 0 otherwise.

.PARAMETER Seconds
How long the measured run lasts (default 10).
.PARAMETER Clients
How many clients send requests concurrently (default 8).
.PARAMETER WarmupSeconds
Requests sent before the measurement (JIT, runspaces, connection pool), default 3.
.PARAMETER Url
The base URL of a running server (e.g. http://127.0.0.1:5000/); without it a server is started.
.PARAMETER ProcessId
With -Url: the server's process id, to report its RSS.
.PARAMETER MaxRssGrowthPercent
The RSS growth that fails the run (default 20).

.EXAMPLE
pwsh -NoProfile -File examples/load-test.ps1 -Seconds 10 -Clients 8
#>
[CmdletBinding()]
param(
    [ValidateRange(1, 3600)] [int] $Seconds = 10,
    [ValidateRange(1, 256)] [int] $Clients = 8,
    [ValidateRange(0, 600)] [int] $WarmupSeconds = 3,
    [string] $Url,
    [int] $ProcessId = 0,
    [double] $MaxRssGrowthPercent = 20,
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/KrJwt/KrJwt.psd1')
)

$ErrorActionPreference = 'Stop'
function Format-MiB([long] $Bytes) { '{0:N1} MiB' -f ($Bytes / 1MB) }

$work = $null
$server = $null
$drain = $null
try {
    #region Server
    if ($Url) {
        if (-not $Url.EndsWith('/')) { $Url += '/' }
        if ($ProcessId -gt 0) { $server = [System.Diagnostics.Process]::GetProcessById($ProcessId) }
    }
    else {
        $work = Join-Path ([System.IO.Path]::GetTempPath()) ('krjwt-load-' + [Guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory $work
        $stopFile = Join-Path $work 'stop'
        $outFile = Join-Path $work 'server.log'
        $pwsh = @(& (Join-Path $PSScriptRoot '../tools/Get-PwshCommand.ps1'))
        $startInfo = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
        foreach ($argument in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-File', (Join-Path $PSScriptRoot 'server.ps1'),
                '-Port', '0', '-StopFile', $stopFile, '-ModulePath', (Resolve-Path -LiteralPath $ModulePath).Path)) {
            $startInfo.ArgumentList.Add($argument)
        }
        $startInfo.UseShellExecute = $false
        $startInfo.RedirectStandardOutput = $true
        $server = [System.Diagnostics.Process]::Start($startInfo)
        # The server logs a line per request: drain it into a file (a .NET task) so it never blocks.
        $log = [System.IO.FileStream]::new($outFile, 'Create', 'Write', 'ReadWrite', 1)
        $drain = @{ File = $log; Task = $server.StandardOutput.BaseStream.CopyToAsync($log, 65536) }
        $deadline = [DateTime]::UtcNow.AddSeconds(60)
        while (-not $Url -and [DateTime]::UtcNow -lt $deadline -and -not $server.HasExited) {
            if ((Get-Content -LiteralPath $outFile -Raw) -match 'Listening on (http://127\.0\.0\.1:\d+/)') { $Url = $Matches[1] }
            else { Start-Sleep -Milliseconds 100 }
        }
        if (-not $Url) { throw 'The server did not start within 60 s.' }
    }
    #endregion

    $handler = [System.Net.Http.SocketsHttpHandler]::new()
    $handler.UseProxy = $false
    $handler.MaxConnectionsPerServer = [Math]::Max(2, $Clients)
    $http = [System.Net.Http.HttpClient]::new($handler)
    $http.BaseAddress = [Uri] $Url
    $http.Timeout = [TimeSpan]::FromSeconds(30)

    $basic = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes('admin:password'))
    $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Get, 'token/new')
    $request.Headers.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Basic', $basic)
    $response = $http.SendAsync($request).GetAwaiter().GetResult()
    if ([int] $response.StatusCode -ne 200) { throw "GET /token/new answered $([int] $response.StatusCode)." }
    $token = ($response.Content.ReadAsStringAsync().GetAwaiter().GetResult() | ConvertFrom-Json).access_token
    $http.DefaultRequestHeaders.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Bearer', $token)

    # One client: GET /secure/hello until the deadline; returns latencies (ms) and error texts.
    $client = {
        param($Http, [long] $UntilTicks)
        $latencies = [System.Collections.Generic.List[double]]::new(16384)
        $errors = [System.Collections.Generic.List[string]]::new()
        $watch = [System.Diagnostics.Stopwatch]::new()
        while ([DateTime]::UtcNow.Ticks -lt $UntilTicks) {
            $watch.Restart()
            try {
                $response = $Http.GetAsync('secure/hello').GetAwaiter().GetResult()
                $body = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
                $watch.Stop()
                if ([int] $response.StatusCode -ne 200 -or $body -ne 'JWT Hello admin') { $errors.Add("$([int] $response.StatusCode) $body") }
                $response.Dispose()
            }
            catch { $watch.Stop(); $errors.Add($_.Exception.Message) }
            $latencies.Add($watch.Elapsed.TotalMilliseconds)
        }
        [pscustomobject]@{ Latencies = $latencies.ToArray(); Errors = $errors.ToArray() }
    }

    $pool = [runspacefactory]::CreateRunspacePool(1, $Clients, [initialsessionstate]::CreateDefault2(), $Host)
    $pool.Open()
    function Invoke-Clients([int] $ForSeconds) {
        $until = [DateTime]::UtcNow.AddSeconds($ForSeconds).Ticks
        $jobs = foreach ($i in 1..$Clients) {
            $ps = [powershell]::Create()
            $ps.RunspacePool = $pool
            $null = $ps.AddScript($client).AddArgument($http).AddArgument($until)
            @{ PowerShell = $ps; Handle = $ps.BeginInvoke() }
        }
        foreach ($job in $jobs) {
            $job.PowerShell.EndInvoke($job.Handle)
            $job.PowerShell.Dispose()
        }
    }

    function Get-Rss {
        if (-not $server) { return $null }
        $server.Refresh()
        $server.WorkingSet64
    }

    if ($WarmupSeconds -gt 0) { $null = Invoke-Clients $WarmupSeconds }
    $rssBefore = Get-Rss
    $watch = [System.Diagnostics.Stopwatch]::StartNew()
    $results = @(Invoke-Clients $Seconds)
    $elapsed = $watch.Elapsed.TotalSeconds
    Start-Sleep -Milliseconds 500
    $rssAfter = Get-Rss
    $pool.Dispose()

    $all = [System.Collections.Generic.List[double]]::new()
    $errors = [System.Collections.Generic.List[string]]::new()
    foreach ($r in $results) { $all.AddRange([double[]] $r.Latencies); foreach ($e in $r.Errors) { $errors.Add($e) } }
    $sorted = $all.ToArray()
    [Array]::Sort($sorted)
    function Get-Percentile([double] $P) {
        if ($sorted.Length -eq 0) { return 0 }
        $sorted[[Math]::Min($sorted.Length - 1, [int][Math]::Ceiling($P / 100 * $sorted.Length) - 1)]
    }

    Write-Host "Load test: $Clients clients, $Seconds s (after $WarmupSeconds s warm-up), GET ${Url}secure/hello with a bearer token"
    Write-Host ('requests: {0}  ({1:N1} requests/s)  errors: {2}' -f $sorted.Length, ($sorted.Length / $elapsed), $errors.Count)
    Write-Host ('latency ms: p50 {0:N2}  p90 {1:N2}  p99 {2:N2}  max {3:N2}' -f (Get-Percentile 50), (Get-Percentile 90), (Get-Percentile 99), $(if ($sorted.Length) { $sorted[-1] } else { 0 }))
    $failed = $errors.Count -gt 0 -or $sorted.Length -eq 0
    if ($null -ne $rssBefore) {
        $growth = 100.0 * ($rssAfter - $rssBefore) / $rssBefore
        Write-Host ('server RSS (process {0}): before {1}  after {2}  ({3:+0.0;-0.0}%)' -f $server.Id, (Format-MiB $rssBefore), (Format-MiB $rssAfter), $growth)
        if ($growth -gt $MaxRssGrowthPercent) {
            Write-Host "FAIL: the server's RSS grew by more than $MaxRssGrowthPercent%."
            $failed = $true
        }
    }
    else { Write-Host 'server RSS: not measured (give -ProcessId with -Url)' }
    for ($i = 0; $i -lt [Math]::Min(5, $errors.Count); $i++) { Write-Host "error: $($errors[$i])" }
    if ($errors.Count -gt 0) { Write-Host "FAIL: $($errors.Count) request(s) failed." }
    $http.Dispose()
    exit $(if ($failed) { 1 } else { 0 })
}
finally {
    if ($work) {
        # Stop the server we started: the stop file first, then kill if it lingers.
        Set-Content -LiteralPath (Join-Path $work 'stop') -Value 'stop' -ErrorAction Ignore
        if ($server -and -not $server.WaitForExit(10000)) { try { $server.Kill($true) } catch { } }
        if ($drain) { try { $null = $drain.Task.Wait(2000) } catch { }; $drain.File.Dispose() }
        Remove-Item -LiteralPath $work -Recurse -Force -ErrorAction Ignore
    }
}
