#!/usr/bin/env pwsh
# KrJwt quick start: issue a token, look at it, validate it, and watch a tampered copy fail.
#
#   ./out/pwsh/pwsh -NoProfile -File examples/quickstart.ps1          (bundled host)
#   pwsh -NoProfile -File examples/quickstart.ps1                     (PowerShell 7.4+)
#
# Uses the module staged by the build in out/KrJwt, or pass -ModulePath. Only the language, core
# cmdlets and .NET are used, so it runs in the bundled host too (no Utility module there).
# Exits 0 when every check behaves as expected, 1 otherwise.
param(
    [string] $ModulePath = [System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'KrJwt', 'KrJwt.psd1')
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

$failures = 0
function Write-Line([string] $Text) { [Console]::WriteLine($Text) }
function Assert-That([bool] $Condition, [string] $What) {
    if ($Condition) { Write-Line "  ok    $What" } else { Write-Line "  FAIL  $What"; $script:failures++ }
}

# 1. A 256-bit secret as hex (in real use: from a secret store, never from source code).
$hexKey = [Convert]::ToHexString([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32))

# 2. A reusable template builder: issuer, audience, key, lifetime.
$template = New-KrJWTBuilder |
    Add-KrJWTIssuer -Issuer 'https://issuer.example' |
    Add-KrJWTAudience -Audience 'api://quickstart' |
    Protect-KrJWT -HexadecimalKey $hexKey |
    Limit-KrJWTValidity -Minutes 30

# 3. Per request: copy the template, add who and what, build.
$result = Copy-KrJWTTokenBuilder -Builder $template |
    Add-KrJWTSubject -Subject 'alice' |
    Add-KrJWTClaim -UserClaimType Name -Value 'alice' |
    Add-KrJWTClaim -UserClaimType Role -Value 'admin' |
    Build-KrJWT
$token = $result | Get-KrJWTToken

Write-Line 'Issued token:'
Write-Line "  $token"
Write-Line 'Result properties:'
Write-Line "  Algorithm : $($result.Algorithm)"
Write-Line "  Issuer    : $($result.Issuer)"
Write-Line "  Audiences : $($result.Audiences -join ', ')"
Write-Line "  Subject   : $($result.Subject)"
Write-Line "  IssuedAt  : $($result.IssuedAt.ToString('u'))"
Write-Line "  Expires   : $($result.Expires.ToString('u'))"
Write-Line "  Claims    : $($result.Payload)"

Write-Line 'Checks:'
Assert-That ($result.Algorithm -eq 'HS256') 'a 32-byte secret signs with HS256 (Auto)'
Assert-That ($result.Issuer -eq 'https://issuer.example') 'the issuer is in the token'
Assert-That (($result.Audiences -join ',') -eq 'api://quickstart') 'the audience is in the token'
Assert-That ($result.Claims['role'] -eq 'admin' -and $result.Claims['unique_name'] -eq 'alice') 'the role and name claims use their short JWT names'
Assert-That ([Math]::Round(($result.Expires - $result.NotBefore).TotalMinutes) -eq 30) 'the token is valid for 30 minutes'

# 4. Validate: against the result itself, or against validation parameters (what a server keeps).
$validation = $result | Get-KrJWTValidationParameter
Assert-That (Test-KrJWT -Result $result -Token $token) 'Test-KrJWT accepts the token (-Result)'
Assert-That (Test-KrJWT -Token $token -ValidationParameter $validation) 'Test-KrJWT accepts the token (-ValidationParameter)'
$report = Test-KrJWT -Token $token -ValidationParameter $validation -Detailed
Write-Line "  Detailed: IsValid=$($report.IsValid) Reason=$($report.Reason) sub=$($report.Claims['sub'])"
Assert-That ($report.IsValid -and $report.Reason -eq [KrJwt.KrReason]::Valid) 'the detailed report says Valid'

# 5. Tamper: change the role in the payload, keep the signature. (Decoding here is only for the
#    demonstration; the module itself never parses tokens in PowerShell.)
$parts = $token.Split('.')
$payloadB64 = $parts[1].Replace('-', '+').Replace('_', '/')
$payloadB64 += '=' * ((4 - $payloadB64.Length % 4) % 4)
$payloadJson = [System.Text.Encoding]::UTF8.GetString([Convert]::FromBase64String($payloadB64))
$forgedJson = $payloadJson.Replace('"role":"admin"', '"role":"superuser"')
$parts[1] = [Convert]::ToBase64String([System.Text.Encoding]::UTF8.GetBytes($forgedJson)).TrimEnd('=').Replace('+', '-').Replace('/', '_')
$tampered = $parts -join '.'

$tamperedReport = Test-KrJWT -Token $tampered -ValidationParameter $validation -Detailed
Write-Line "  Tampered: IsValid=$($tamperedReport.IsValid) Reason=$($tamperedReport.Reason) ($($tamperedReport.Message))"
Assert-That (-not (Test-KrJWT -Token $tampered -ValidationParameter $validation)) 'Test-KrJWT refuses the tampered token'
Assert-That ($tamperedReport.Reason -eq [KrJwt.KrReason]::InvalidSignature) 'the reason is InvalidSignature'

if ($failures -gt 0) {
    Write-Line "$failures check(s) failed."
    exit 1
}
Write-Line 'All checks passed.'
exit 0
