#!/usr/bin/env pwsh
<#
.SYNOPSIS
Packs a staged KrJwt module (out/KrJwt) into KrJwt.<version>.nupkg, laid out as the PowerShell Gallery
takes it.

.DESCRIPTION
A Gallery module package is a NuGet package whose root is the module folder: KrJwt.psd1, KrJwt.dll, the
format file, en-US/ help and runtimes/<rid>/native/ libraries, beside a KrJwt.nuspec describing the module
(what Publish-Module would generate). This script:
1. reads the manifest as data (its hashtable, without importing the module);
2. writes the .nuspec from it: id, version, authors, owners, description, copyright, project and license
   URIs, release notes, and the tags the Gallery searches on (the manifest's Tags, PSModule,
   PSEdition_<edition>, PSIncludes_Cmdlet, PSCmdlet_<name> and PSCommand_<name> per exported command);
3. packs it with `dotnet pack` of a throw-away project that only points NuGet at that .nuspec (the .NET SDK
   is the NuGet tooling available offline; no nuget.exe needed).
The package carries the native libraries found under runtimes/<rid>/native/ of the staged module (where the
module's loader looks), and only those: the manifest's platform tags (Windows, Linux, MacOS) must name
exactly the platforms of those libraries, or no package is written. docs/releasing.md tells how to gather
several platforms' libraries into one package.

.PARAMETER ModulePath
The staged module folder (default: out/KrJwt).
.PARAMETER OutputDirectory
Where KrJwt.<version>.nupkg is written (default: out/package).
.OUTPUTS
The path of the package.
.EXAMPLE
pwsh -NoProfile -File tools/New-KrModulePackage.ps1
#>
[CmdletBinding()]
param(
    [string] $ModulePath = (Join-Path $PSScriptRoot '../out/KrJwt'),
    [string] $OutputDirectory = (Join-Path $PSScriptRoot '../out/package')
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

# Full paths (relative ones are taken from the current location): dotnet pack needs them.
$ModulePath = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($ModulePath)
$OutputDirectory = $ExecutionContext.SessionState.Path.GetUnresolvedProviderPathFromPSPath($OutputDirectory)
$NuspecNamespace = 'http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd'

# The Gallery's platform tags, by the operating system part of a runtime identifier.
$PlatformTags = [ordered]@{ win = 'Windows'; linux = 'Linux'; osx = 'MacOS' }

function Get-Setting($Table, [string] $Key) {
    if ($Table -and $Table.ContainsKey($Key)) { $Table[$Key] } else { $null }
}

# Files of the package: everything staged except debug symbols.
function Get-PackageFile([string] $Folder) {
    foreach ($file in Get-ChildItem -LiteralPath $Folder -File -Recurse) {
        $relative = [System.IO.Path]::GetRelativePath($Folder, $file.FullName).Replace('\', '/')
        if ($relative -notlike '*.pdb') { $relative }
    }
}

# Fails unless the manifest's platform tags name exactly the platforms of the native libraries packed.
function Assert-PlatformTag($Manifest, [string[]] $Files) {
    $carried = @($Files | ForEach-Object { if ($_ -match '^runtimes/([a-z]+)-[^/]+/native/') { $PlatformTags[$Matches[1]] } } | Sort-Object -Unique)
    $claimed = @(Get-Setting (Get-Setting (Get-Setting $Manifest 'PrivateData') 'PSData') 'Tags' | Where-Object { $_ -in $PlatformTags.Values } | Sort-Object -Unique)
    if ("$carried" -ne "$claimed") {
        throw "The manifest's platform tags ($(if ($claimed) { $claimed -join ', ' } else { 'none' })) do not match the native libraries under runtimes/ ($(if ($carried) { $carried -join ', ' } else { 'none' })). Tag exactly the platforms whose libraries the package carries (PrivateData.PSData.Tags in powershell/KrJwt.psd1; see docs/releasing.md)."
    }
}

function New-Nuspec($Manifest, [string[]] $Files, [string] $Path) {
    $data = Get-Setting (Get-Setting $Manifest 'PrivateData') 'PSData'
    $cmdlets = @(Get-Setting $Manifest 'CmdletsToExport')
    $aliases = @(Get-Setting $Manifest 'AliasesToExport')
    $tags = [System.Collections.Generic.List[string]]::new()
    foreach ($tag in @(Get-Setting $data 'Tags')) { if ($tag -and -not $tags.Contains($tag)) { $tags.Add($tag) } }
    $tags.Add('PSModule')
    foreach ($edition in @(Get-Setting $Manifest 'CompatiblePSEditions')) { if (-not $tags.Contains("PSEdition_$edition")) { $tags.Add("PSEdition_$edition") } }
    if ($cmdlets.Count) { $tags.Add('PSIncludes_Cmdlet') }
    foreach ($name in $cmdlets) { $tags.Add("PSCmdlet_$name") }
    foreach ($name in $cmdlets + $aliases) { if ($name) { $tags.Add("PSCommand_$name") } }

    $settings = [System.Xml.XmlWriterSettings]::new()
    $settings.Indent = $true
    $settings.Encoding = [System.Text.UTF8Encoding]::new($false)
    $writer = [System.Xml.XmlWriter]::Create($Path, $settings)
    try {
        $writer.WriteStartElement('package', $NuspecNamespace)
        $writer.WriteStartElement('metadata', $NuspecNamespace)
        $values = [ordered]@{
            id                       = [System.IO.Path]::GetFileNameWithoutExtension((Get-Setting $Manifest 'RootModule'))
            version                  = Get-Setting $Manifest 'ModuleVersion'
            authors                  = Get-Setting $Manifest 'Author'
            owners                   = Get-Setting $Manifest 'CompanyName'
            requireLicenseAcceptance = 'false'
            licenseUrl               = Get-Setting $data 'LicenseUri'
            projectUrl               = Get-Setting $data 'ProjectUri'
            iconUrl                  = Get-Setting $data 'IconUri'
            description              = Get-Setting $Manifest 'Description'
            releaseNotes             = Get-Setting $data 'ReleaseNotes'
            copyright                = Get-Setting $Manifest 'Copyright'
            tags                     = $tags -join ' '
        }
        foreach ($key in 'id', 'version', 'authors', 'description') {
            if (-not $values[$key]) { throw "The manifest gives no value for the package's $key." }
        }
        foreach ($key in $values.Keys) {
            if ($values[$key]) { $writer.WriteElementString($key, $NuspecNamespace, [string]$values[$key]) }
        }
        $writer.WriteEndElement()
        $writer.WriteStartElement('files', $NuspecNamespace)
        foreach ($file in $Files) {
            $writer.WriteStartElement('file', $NuspecNamespace)
            $writer.WriteAttributeString('src', $file)
            $writer.WriteAttributeString('target', $file)
            $writer.WriteEndElement()
        }
        $writer.WriteEndElement()
        $writer.WriteEndElement()
    }
    finally {
        $writer.Dispose()
    }
    $values
}

$manifestPath = Join-Path $ModulePath 'KrJwt.psd1'
if (-not (Test-Path -LiteralPath $manifestPath)) { throw "No staged module at $ModulePath (KrJwt.psd1 is missing): build it first with ./build.sh." }
$manifest = Import-PowerShellDataFile -LiteralPath $manifestPath
$files = @(Get-PackageFile $ModulePath)
foreach ($required in 'KrJwt.dll', 'en-US/KrJwt.dll-Help.xml') {
    if ($required -notin $files) { throw "The staged module has no $required`: build it with ./build.sh before packing." }
}
if (-not @($files | Where-Object { $_ -like 'runtimes/*/native/*' }).Count) {
    throw 'The staged module has no runtimes/<rid>/native/ library: build it with ./build.sh before packing.'
}
Assert-PlatformTag -Manifest $manifest -Files $files

# The throw-away packing project lives under out/build, never in the source tree.
$work = [System.IO.Path]::GetFullPath((Join-Path $ModulePath '../build/package'))
if (Test-Path -LiteralPath $work) { Remove-Item -LiteralPath $work -Recurse -Force }
$null = New-Item -ItemType Directory $work
$nuspec = Join-Path $work 'KrJwt.nuspec'
$metadata = New-Nuspec -Manifest $manifest -Files $files -Path $nuspec
$project = Join-Path $work 'KrJwt.Package.csproj'
Set-Content -LiteralPath $project -Value @"
<Project Sdk="Microsoft.NET.Sdk">
  <!-- Generated by tools/New-KrModulePackage.ps1: packs the staged module with the .nuspec beside it. -->
  <PropertyGroup>
    <TargetFramework>net8.0</TargetFramework>
    <IncludeBuildOutput>false</IncludeBuildOutput>
    <EnableDefaultItems>false</EnableDefaultItems>
    <NoWarn>`$(NoWarn);NU5100;NU5110;NU5111;NU5125</NoWarn>
    <NuspecFile>$([System.Security.SecurityElement]::Escape($nuspec))</NuspecFile>
    <NuspecBasePath>$([System.Security.SecurityElement]::Escape($ModulePath))</NuspecBasePath>
  </PropertyGroup>
</Project>
"@

$null = New-Item -ItemType Directory -Force $OutputDirectory
$package = Join-Path $OutputDirectory "$($metadata.id).$($metadata.version).nupkg"
if (Test-Path -LiteralPath $package) { Remove-Item -LiteralPath $package }
$log = & dotnet pack $project -o $OutputDirectory -nologo 2>&1
if ($LASTEXITCODE -ne 0 -or -not (Test-Path -LiteralPath $package)) {
    throw "dotnet pack failed (exit code $LASTEXITCODE):`n$($log -join "`n")"
}
$package
