#!/usr/bin/env pwsh
# KrJwt quick start: issue a token, look at it, validate it, and watch a tampered copy fail.
#
#   pwsh -NoProfile -File examples/quickstart.ps1          (PowerShell 7.4+)
#
# Uses the module staged by the build in out/KrJwt, or pass -ModulePath.
# Exits 0 when every check behaves as expected, 1 otherwise.
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/KrJwt/KrJwt.psd1')
)

$ErrorActionPreference = 'Stop'
Import-Module $ModulePath

$failures = 0
function Assert-That([bool] $Condition, [string] $What) {
    if ($Condition) { Write-Host "  ok    $What" } else { Write-Host "  FAIL  $What"; $script:failures++ }
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

Write-Host 'Issued token:'
Write-Host "  $token"
Write-Host 'The result (its list view):'
$result | Format-List | Out-Host

Write-Host 'Checks:'
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
Write-Host "  Detailed: IsValid=$($report.IsValid) Reason=$($report.Reason) sub=$($report.Claims['sub'])"
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
Write-Host "  Tampered: IsValid=$($tamperedReport.IsValid) Reason=$($tamperedReport.Reason) ($($tamperedReport.Message))"
Assert-That (-not (Test-KrJWT -Token $tampered -ValidationParameter $validation)) 'Test-KrJWT refuses the tampered token'
Assert-That ($tamperedReport.Reason -eq [KrJwt.KrReason]::InvalidSignature) 'the reason is InvalidSignature'

if ($failures -gt 0) {
    Write-Host "$failures check(s) failed."
    exit 1
}
Write-Host 'All checks passed.'
exit 0
