# The OpenID Provider of the tests (tests/oidc/provider.mjs: npm's oidc-provider, installed by build.ps1
# with npm ci) run as a child process on a loopback port. Dot-source after TestHelpers.ps1.
#
#   $provider = Start-TestOidcProvider -KeyIds 'k1'            # a free port, a key folder of its own
#   $token = Get-TestOidcToken $provider -Resource 'urn:krjwt:orders'
#   Get-TestOidcRequestCount $provider '/jwks'                  # requests answered since it started
#   $provider = Restart-TestOidcProvider $provider -KeyIds 'k2', 'k1'   # same URL, keys rotated
#   Stop-TestProcess $provider

$script:OidcFolder = [System.IO.Path]::Combine($script:RepoRoot, 'tests', 'oidc')
$script:OidcClient = 'krjwt-tests'
$script:OidcSecret = 'krjwt-tests-secret'

function Assert-TestOidcPeer {
    if (-not [System.IO.File]::Exists([System.IO.Path]::Combine($script:OidcFolder, 'node_modules', 'oidc-provider', 'package.json'))) {
        throw "The OpenID Provider of the tests is not installed: run ./build.sh -Test, or npm ci --prefix tests/oidc (Node.js 20 or later)."
    }
}

# Starts the provider; -Port 0 asks for a free port. Returns an object with Url, Process, Log (its stdout
# file) and KeyFolder.
function Start-TestOidcProvider {
    param([string[]] $KeyIds = @('k1'), [int] $Port = 0, [string] $KeyFolder)
    Assert-TestOidcPeer
    if (-not $KeyFolder) {
        $KeyFolder = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'krjwt-oidc-' + [Guid]::NewGuid().ToString('N'))
        $null = [System.IO.Directory]::CreateDirectory($KeyFolder)
    }
    $log = [System.IO.Path]::Combine($KeyFolder, "provider-$([Guid]::NewGuid().ToString('N')).log")
    $info = [System.Diagnostics.ProcessStartInfo]::new('node')
    foreach ($a in [System.IO.Path]::Combine($script:OidcFolder, 'provider.mjs'), '--port', "$Port", '--key-dir', $KeyFolder, '--key-ids', ($KeyIds -join ',')) {
        $info.ArgumentList.Add($a)
    }
    $info.UseShellExecute = $false
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($info)
    $file = [System.IO.FileStream]::new($log, 'Create', 'Write', 'ReadWrite', 1)
    $drain = $process.StandardOutput.BaseStream.CopyToAsync($file, 256)
    $errors = $process.StandardError.ReadToEndAsync()
    $provider = [pscustomobject]@{ Url = $null; Process = $process; Log = $log; Drains = @([pscustomobject]@{ Task = $drain; File = $file }); KeyFolder = $KeyFolder }
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while (-not $provider.Url -and [DateTime]::UtcNow -lt $deadline -and -not $process.HasExited) {
        $match = [regex]::Match((Read-TestOidcLog $provider), 'Listening on (http://127\.0\.0\.1:\d+)')
        if ($match.Success) { $provider.Url = $match.Groups[1].Value } else { [System.Threading.Thread]::Sleep(50) }
    }
    if (-not $provider.Url) {
        $stderr = if ($process.HasExited) { $errors.Result } else { '' }
        Stop-TestProcess $provider
        throw "The OpenID Provider did not start within 30 s. Output: $(Read-TestOidcLog $provider) $stderr"
    }
    $provider
}

function Read-TestOidcLog {
    param($Provider)
    $stream = [System.IO.FileStream]::new($Provider.Log, 'Open', 'Read', 'ReadWrite')
    try { [System.IO.StreamReader]::new($stream).ReadToEnd() } finally { $stream.Dispose() }
}

# The number of requests for $Path the running provider has answered (it counts them itself: its log
# reaches the file a little later).
function Get-TestOidcRequestCount {
    param($Provider, [string] $Path)
    $handler = [System.Net.Http.SocketsHttpHandler]::new()
    $handler.UseProxy = $false
    $http = [System.Net.Http.HttpClient]::new($handler)
    try { $counts = ConvertFrom-TestJson ($http.GetStringAsync("$($Provider.Url)/test/requests").GetAwaiter().GetResult()) }
    finally { $http.Dispose() }
    if ($counts.Contains($Path)) { [int]$counts[$Path] } else { 0 }
}

# Stops the provider and starts it again on the same URL with the keys -KeyIds (the first one signs).
function Restart-TestOidcProvider {
    param($Provider, [string[]] $KeyIds)
    Stop-TestProcess $Provider
    $port = [int]([Uri] $Provider.Url).Port
    # The port was just released; binding it again can need a moment.
    for ($attempt = 1; ; $attempt++) {
        try { return Start-TestOidcProvider -KeyIds $KeyIds -Port $port -KeyFolder $Provider.KeyFolder }
        catch { if ($attempt -ge 5) { throw }; [System.Threading.Thread]::Sleep(200) }
    }
}

# An access token of the test client for -Resource (client_credentials, RFC 8707 resource indicator):
# a JWT whose aud is the resource.
function Get-TestOidcToken {
    param($Provider, [string] $Resource = 'urn:krjwt:orders')
    $handler = [System.Net.Http.SocketsHttpHandler]::new()
    $handler.UseProxy = $false
    $http = [System.Net.Http.HttpClient]::new($handler)
    try {
        $request = [System.Net.Http.HttpRequestMessage]::new([System.Net.Http.HttpMethod]::Post, "$($Provider.Url)/token")
        $basic = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes("$($script:OidcClient):$($script:OidcSecret)"))
        $request.Headers.Authorization = [System.Net.Http.Headers.AuthenticationHeaderValue]::new('Basic', $basic)
        $form = [System.Collections.Generic.Dictionary[string, string]]::new()
        $form['grant_type'] = 'client_credentials'
        $form['resource'] = $Resource
        $form['scope'] = 'read'
        $request.Content = [System.Net.Http.FormUrlEncodedContent]::new($form)
        $response = $http.Send($request)
        $body = $response.Content.ReadAsStringAsync().GetAwaiter().GetResult()
        if ([int]$response.StatusCode -ne 200) { throw "The provider refused the token request: $([int]$response.StatusCode) $body" }
        (ConvertFrom-TestJson $body)['access_token']
    }
    finally { $http.Dispose() }
}

function Remove-TestOidcKeyFolder {
    param($Provider)
    if ($Provider -and [System.IO.Directory]::Exists($Provider.KeyFolder)) {
        try { [System.IO.Directory]::Delete($Provider.KeyFolder, $true) } catch { }
    }
}
