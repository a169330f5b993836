@{
    RootModule           = 'KrJwt.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = 'fe4808af-131a-4eb4-9959-b5c13f215ef5'
    Author               = 'KrJwt contributors'
    CompanyName          = 'KrJwt'
    Copyright            = '(c) KrJwt contributors. MIT License.'
    Description          = 'Issue, sign, inspect and validate JSON Web Tokens with the Kestrun *-KrJWT* cmdlets. All token work is done by the native krjwt library (Rust); this module binds parameters and shapes results.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')

    CmdletsToExport      = @(
        'New-KrJWTBuilder'
        'Copy-KrJWTTokenBuilder'
        'Add-KrJWTIssuer'
        'Add-KrJWTAudience'
        'Add-KrJWTSubject'
        'Add-KrJWTClaim'
        'Add-KrJWTHeader'
        'Limit-KrJWTValidity'
        'Limit-KrJWTNotBefore'
        'Protect-KrJWT'
        'Build-KrJWT'
        'Get-KrJWTToken'
        'Get-KrJWTValidationParameter'
        'Test-KrJWT'
        'Protect-KrJWTPayload'
        'Update-KrJWT'
        'Get-KrJWTInfo'
        'Get-KrJwkThumbprint'
        'Add-KrJWTBearerAuthentication'
        'Get-KrJwk'
        'New-KrJwks'
    )
    AliasesToExport      = @('New-KrJWTTokenBuilder')
    FunctionsToExport    = @()
    VariablesToExport    = @()

    PrivateData          = @{
        PSData = @{
            Tags       = @('JWT', 'JWS', 'JWE', 'JOSE', 'Kestrun', 'Security')
        }
    }
}
