# The manifest of the bench's empty-cmdlet module, so that its cold import goes the way KrJwt.psd1's does.
@{
    RootModule           = 'EmptyCmdlet.dll'
    ModuleVersion        = '0.0.1'
    GUID                 = '5ce891c0-b370-4d13-a392-603ed4dbb98e'
    Author               = 'KrJwt contributors'
    Description          = 'Invoke-KrEmpty: the floor of a compiled cmdlet call, for benches/KrJwt.Bench.ps1. Not shipped.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    CmdletsToExport      = @('Invoke-KrEmpty')
    AliasesToExport      = @()
    FunctionsToExport    = @()
    VariablesToExport    = @()
}
