@{
    RootModule           = 'KrPester.psm1'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0c7c4e-6f1d-4a57-9d0e-3f6f2a9c1e42'
    Author               = 'KrJwt contributors'
    Description          = 'The subset of Pester 5 used by the KrJwt tests, for hosts without Pester (core cmdlets only).'
    PowerShellVersion    = '7.0'
    CompatiblePSEditions = @('Core')
    FunctionsToExport    = @('Describe', 'Context', 'It', 'BeforeAll', 'AfterAll', 'BeforeEach', 'AfterEach', 'Should', 'Invoke-KrPester')
    CmdletsToExport      = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
}
