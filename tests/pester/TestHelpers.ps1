# Shared setup for the KrJwt Pester tests. Dot-source it from a BeforeAll block:
#     BeforeAll { . (Join-Path $PSScriptRoot 'TestHelpers.ps1') }
# It imports the staged module (out/KrJwt, as the build stages it) and defines small helpers. The helpers
# decode tokens themselves (base64url + System.Text.Json) so that the tests check the library's output
# independently; that JOSE code belongs to the tests only, never to the module.

$script:RepoRoot = (Resolve-Path (Join-Path $PSScriptRoot '../..')).Path
$script:ModuleManifest = Join-Path $script:RepoRoot 'out/KrJwt/KrJwt.psd1'
if (-not (Test-Path -LiteralPath $script:ModuleManifest)) {
    throw "The staged module is missing at $script:ModuleManifest. Build it first (./build.sh)."
}
Import-Module $script:ModuleManifest -Force -ErrorAction Stop

# The command line of this PowerShell for child processes (tools/Get-PwshCommand.ps1): the program, then
# the arguments that come before PowerShell's own.
$script:PwshCommand = @(& (Join-Path $script:RepoRoot 'tools/Get-PwshCommand.ps1'))

# A ProcessStartInfo that starts this PowerShell with -NoProfile -NonInteractive and $ArgumentList, its
# output redirected; -Environment sets (or replaces) environment variables of the child.
function New-TestPwshStartInfo {
    param([string[]] $ArgumentList, [hashtable] $Environment = @{})
    $info = [System.Diagnostics.ProcessStartInfo]::new($script:PwshCommand[0])
    foreach ($name in $Environment.Keys) { $info.Environment[$name] = $Environment[$name] }
    foreach ($argument in @($script:PwshCommand | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive') + $ArgumentList) {
        $info.ArgumentList.Add($argument)
    }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info
}

# Runs this PowerShell as a child process with $ArgumentList (a module cannot be loaded twice in one
# process; a child also keeps what a script does away from the test run); returns its exit code and its
# output (stdout, then stderr).
function Invoke-TestPwsh {
    param([string[]] $ArgumentList, [hashtable] $Environment = @{})
    $process = [System.Diagnostics.Process]::Start((New-TestPwshStartInfo $ArgumentList $Environment))
    try {
        $stdout = $process.StandardOutput.ReadToEndAsync()
        $stderr = $process.StandardError.ReadToEnd()
        $process.WaitForExit()
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result + $stderr }
    }
    finally { $process.Dispose() }
}

# Starts examples/server.ps1 in a child PowerShell on a free loopback port (-Port 0, the staged module, and
# $ArgumentList), its stdout and stderr drained into stdout.log and stderr.log in $Folder, and waits (60 s at
# most) for its "Listening on" line. Returns Process, Url, OutFile, ErrFile; Stop-TestProcess ends it.
function Start-TestServer {
    param([string] $Folder, [string[]] $ArgumentList)
    $arguments = @('-File', (Join-Path $script:RepoRoot 'examples/server.ps1'), '-Port', '0', '-ModulePath', $script:ModuleManifest) + $ArgumentList
    $process = [System.Diagnostics.Process]::Start((New-TestPwshStartInfo $arguments))
    $server = [pscustomobject]@{
        Process = $process; Url = $null; OutFile = (Join-Path $Folder 'stdout.log'); ErrFile = (Join-Path $Folder 'stderr.log'); Drains = @()
    }
    # .NET tasks copy the output (no PowerShell runs on their threads), so the server never blocks on it.
    $server.Drains = @(
        foreach ($pipe in @(@($process.StandardOutput, $server.OutFile), @($process.StandardError, $server.ErrFile))) {
            $file = [System.IO.FileStream]::new($pipe[1], 'Create', 'Write', 'ReadWrite', 1)
            [pscustomobject]@{ File = $file; Task = $pipe[0].BaseStream.CopyToAsync($file, 1024) }
        })
    $deadline = (Get-Date).AddSeconds(60)
    while (-not $server.Url -and (Get-Date) -lt $deadline -and -not $process.HasExited) {
        if ((Get-Content -LiteralPath $server.OutFile -Raw) -match 'Listening on (http://127\.0\.0\.1:\d+/)') { $server.Url = $Matches[1] }
        else { Start-Sleep -Milliseconds 100 }
    }
    if (-not $server.Url) {
        Stop-TestProcess $server
        throw "examples/server.ps1 did not report 'Listening on' within 60 s. stdout: $(Get-Content -LiteralPath $server.OutFile -Raw) stderr: $(Get-Content -LiteralPath $server.ErrFile -Raw)"
    }
    $server
}

# Ends a child a test started (Start-TestServer, Start-TestOidcProvider: an object with Process and Drains):
# kills it and its children if it still runs, lets the copies of its output finish and closes their files.
function Stop-TestProcess {
    param($Child)
    if (-not $Child) { return }
    if (-not $Child.Process.HasExited) {
        try { $Child.Process.Kill($true) } catch { }
        $null = $Child.Process.WaitForExit(10000)
    }
    foreach ($drain in $Child.Drains) {
        try { $null = $drain.Task.Wait(2000) } catch { }
        $drain.File.Dispose()
    }
}

# A loopback port that nothing listens on: the OS picks a free one, which is released at once.
function Get-TestFreePort {
    $probe = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $probe.Start()
    try { $probe.LocalEndpoint.Port } finally { $probe.Stop() }
}

# A random secret of $Bytes bytes as hexadecimal text.
function New-TestHexKey {
    param([int] $Bytes = 32)
    [Convert]::ToHexString([System.Security.Cryptography.RandomNumberGenerator]::GetBytes($Bytes)).ToLowerInvariant()
}

function ConvertTo-TestBase64Url {
    param([byte[]] $Bytes)
    [Convert]::ToBase64String($Bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_')
}

function ConvertFrom-TestBase64Url {
    param([string] $Text)
    $s = $Text.Replace('-', '+').Replace('_', '/')
    switch ($s.Length % 4) { 2 { $s += '==' } 3 { $s += '=' } }
    [Convert]::FromBase64String($s)
}

# JSON text as hashtables, object[] and primitives, every string exactly as the token has it. (Not
# ConvertFrom-Json: it reads ISO 8601 strings as DateTime, and only PowerShell 7.5+ can turn that off.)
function ConvertFrom-TestJson {
    param([string] $Json)
    $document = [System.Text.Json.JsonDocument]::Parse($Json)
    try { ConvertFrom-TestJsonElement $document.RootElement } finally { $document.Dispose() }
}

function ConvertFrom-TestJsonElement {
    param($Element)
    switch ($Element.ValueKind.ToString()) {
        'Object' {
            $h = [ordered]@{}
            foreach ($p in $Element.EnumerateObject()) { $h[$p.Name] = ConvertFrom-TestJsonElement $p.Value }
            return $h
        }
        'Array' { return , @(foreach ($item in $Element.EnumerateArray()) { ConvertFrom-TestJsonElement $item }) }
        'String' { return $Element.GetString() }
        'Number' { $l = 0L; if ($Element.TryGetInt64([ref] $l)) { return $l } else { return $Element.GetDouble() } }
        'True' { return $true }
        'False' { return $false }
        default { return $null }
    }
}

# The decoded JOSE header (segment 0) or payload (segment 1) of a compact token.
function Get-TestTokenHeader {
    param([string] $Token)
    ConvertFrom-TestJson ([System.Text.Encoding]::UTF8.GetString((ConvertFrom-TestBase64Url $Token.Split('.')[0])))
}

function Get-TestTokenPayload {
    param([string] $Token)
    ConvertFrom-TestJson ([System.Text.Encoding]::UTF8.GetString((ConvertFrom-TestBase64Url $Token.Split('.')[1])))
}

# Re-encodes one segment of a token from JSON text, keeping the others (for forged tokens).
function Set-TestTokenSegment {
    param([string] $Token, [int] $Index, [string] $Json, [switch] $DropSignature)
    $parts = $Token.Split('.')
    $parts[$Index] = ConvertTo-TestBase64Url ([System.Text.Encoding]::UTF8.GetBytes($Json))
    if ($DropSignature) { $parts[2] = '' }
    $parts -join '.'
}

# An HS256 token signed here (test-only JOSE) from payload JSON, for claims the builder never writes
# (expired a while ago, no exp at all, ...).
function New-TestHs256Token {
    param([string] $HexKey, [string] $PayloadJson, [string] $HeaderJson = '{"alg":"HS256","typ":"JWT"}')
    $enc = [System.Text.Encoding]::UTF8
    $signingInput = (ConvertTo-TestBase64Url $enc.GetBytes($HeaderJson)) + '.' + (ConvertTo-TestBase64Url $enc.GetBytes($PayloadJson))
    $hmac = [System.Security.Cryptography.HMACSHA256]::new([Convert]::FromHexString($HexKey))
    try { $signature = $hmac.ComputeHash($enc.GetBytes($signingInput)) } finally { $hmac.Dispose() }
    $signingInput + '.' + (ConvertTo-TestBase64Url $signature)
}

function Get-TestNow { [DateTimeOffset]::UtcNow.ToUnixTimeSeconds() }

function ConvertTo-TestUnixTime {
    param([datetime] $Value)
    [DateTimeOffset]::new($Value.ToUniversalTime()).ToUnixTimeSeconds()
}

# A signed builder with an issuer and an audience: the common starting point.
function New-TestBuilder {
    param([string] $Issuer = 'TestIssuer', [string] $Audience = 'TestAudience', [string] $HexKey = (New-TestHexKey 32))
    New-KrJWTBuilder |
        Add-KrJWTIssuer -Issuer $Issuer |
        Add-KrJWTAudience -Audience $Audience |
        Protect-KrJWT -HexadecimalKey $HexKey
}
