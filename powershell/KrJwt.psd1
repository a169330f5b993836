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
    # Views for results, reports, token information, validation parameters and keys (no key material).
    FormatsToProcess     = @('KrJwt.Format.ps1xml')
    # Help ships with the module (en-US/KrJwt.dll-Help.xml compiled from docs/cmdlets, and about_KrJwt);
    # no HelpInfoURI until there is an address that serves updatable help.

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
            Tags         = @('JWT', 'JWS', 'JWE', 'JOSE', 'JWK', 'Kestrun', 'Security', 'PSEdition_Core', 'Linux')
            # Placeholders until the project's public home is decided.
            ProjectUri   = 'https://github.com/krjwt/krjwt'
            LicenseUri   = 'https://github.com/krjwt/krjwt/blob/main/LICENSE'
            ReleaseNotes = 'https://github.com/krjwt/krjwt/releases'
        }
    }
}
