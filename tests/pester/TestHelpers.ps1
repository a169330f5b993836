# Shared setup for the KrJwt Pester tests. Dot-source it from a BeforeAll block:
#     BeforeAll { . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1')) }
# It imports the staged module (out/KrJwt: KrJwt.dll, KrJwt.psd1 and the native library side by
# side, as the build stages it) and defines small helpers. The helpers decode tokens themselves
# (base64url + System.Text.Json) so that the tests check the library's output independently;
# that JOSE code belongs to the tests only, never to the module.
# Only the language, core cmdlets and .NET are used: the bundled host has neither the Utility nor
# the Management module (no Join-Path, Test-Path, Get-Random, ConvertFrom-Json, ...).

$script:RepoRoot = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))
$script:ModuleManifest = [System.IO.Path]::Combine($script:RepoRoot, 'out', 'KrJwt', 'KrJwt.psd1')
if (-not [System.IO.File]::Exists($script:ModuleManifest)) {
    throw "The staged module is missing at $script:ModuleManifest. Build it first (./build.sh)."
}
Import-Module $script:ModuleManifest -Force -ErrorAction Stop

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

# A SecureString without ConvertTo-SecureString (Security module not in the bundled host).
function New-TestSecureString {
    param([string] $Text)
    $secure = [System.Security.SecureString]::new()
    foreach ($c in $Text.ToCharArray()) { $secure.AppendChar($c) }
    $secure.MakeReadOnly()
    $secure
}

# JSON text to hashtables / object[] / primitives (ConvertFrom-Json is not in the bundled host).
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
