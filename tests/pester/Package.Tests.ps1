# The PowerShell Gallery package (build.ps1 -Package, tools/New-KrModulePackage.ps1): its layout and
# metadata, and a clean install: the package extracted as Install-Module would lay it out
# (<modules>/KrJwt/<version>/), imported by name in a child host whose PSModulePath is that folder only,
# issuing and validating a token with the native library from runtimes/<rid>/native/.
#
# Uses out/package/KrJwt.<version>.nupkg when it is newer than the staged module, else packs the staged
# module (out/KrJwt) into a temporary folder first.

Describe 'Gallery package' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        $null = [System.Reflection.Assembly]::Load('System.IO.Compression.ZipFile')

        $script:Stage = Join-Path $script:RepoRoot 'out/KrJwt'
        $script:Manifest = Import-PowerShellDataFile -LiteralPath (Join-Path $script:Stage 'KrJwt.psd1')
        $script:Version = $script:Manifest['ModuleVersion']

        $script:Work = Join-Path ([System.IO.Path]::GetTempPath()) ('krjwt-package-' + [Guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory $script:Work
        $built = Get-Item -LiteralPath (Join-Path $script:RepoRoot "out/package/KrJwt.$($script:Version).nupkg") -ErrorAction Ignore
        $script:Package = if ($built -and $built.LastWriteTimeUtc -ge (Get-Item -LiteralPath (Join-Path $script:Stage 'KrJwt.dll')).LastWriteTimeUtc) {
            $built.FullName
        }
        else {
            & (Join-Path $script:RepoRoot 'tools/New-KrModulePackage.ps1') -ModulePath $script:Stage -OutputDirectory (Join-Path $script:Work 'package')
        }

        $zip = [System.IO.Compression.ZipFile]::OpenRead($script:Package)
        try {
            $script:Entries = @($zip.Entries | ForEach-Object FullName)
            $reader = [System.IO.StreamReader]::new(($zip.Entries | Where-Object FullName -EQ 'KrJwt.nuspec').Open())
            $script:Nuspec = [xml] $reader.ReadToEnd()
            $reader.Dispose()
        }
        finally { $zip.Dispose() }

        # Install: extract into <modules>/KrJwt/<version>/ and drop NuGet's own parts, as PowerShellGet does.
        $script:Modules = Join-Path $script:Work 'Modules'
        $script:InstallPath = Join-Path $script:Modules "KrJwt/$($script:Version)"
        # (Expand-Archive takes .zip files only.)
        [System.IO.Compression.ZipFile]::ExtractToDirectory($script:Package, $script:InstallPath)
        Remove-Item -LiteralPath (Join-Path $script:InstallPath '_rels'), (Join-Path $script:InstallPath 'package'), (Join-Path $script:InstallPath '[Content_Types].xml') -Recurse -Force

        # Import by name from the clean module path, in a fresh host.
        $script = @'
$ErrorActionPreference = 'Stop'
Import-Module KrJwt
$module = Get-Module KrJwt
$loader = $module.ImplementingAssembly.GetType('KrJwt.Native.NativeLibraryLoader')
$native = $loader.GetProperty('LoadedPath', [System.Reflection.BindingFlags]'NonPublic, Static').GetValue($null)
$key = [Convert]::ToHexString([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32))
$result = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'PackageTest' | Add-KrJWTAudience -Audience 'Clients' |
    Protect-KrJWT -HexadecimalKey $key | Add-KrJWTSubject -Subject 'installed' | Build-KrJWT
$rsa = [System.Security.Cryptography.RSA]::Create(2048)
$rsaToken = New-KrJWTBuilder | Protect-KrJWT -Pem $rsa.ExportPkcs8PrivateKeyPem() | Build-KrJWT | Get-KrJWTToken
$values = [ordered]@{
    ModuleBase = $module.ModuleBase
    Version    = $module.Version
    Native     = $native
    Commands   = $module.ExportedCommands.Count
    Formats    = @($module.ExportedFormatFiles).Count
    Valid      = Test-KrJWT -Token $result.Token -Result $result
    RsaValid   = Test-KrJWT -Token $rsaToken -ValidationParameter (Get-KrJWTValidationParameter -Pem $rsa.ExportSubjectPublicKeyInfoPem())
    Tampered   = Test-KrJWT -Token ($result.Token + 'x') -Result $result
    Synopsis   = (Get-Help Build-KrJWT).Synopsis
}
foreach ($name in $values.Keys) { "$name=$($values[$name])" }
'@
        $file = Join-Path $script:Work 'use-installed.ps1'
        Set-Content -LiteralPath $file -Value $script
        $run = Invoke-TestPwsh '-File', $file -Environment @{ PSModulePath = $script:Modules }
        $script:ChildOutput = $run.Output
        $script:ChildExitCode = $run.ExitCode
        $script:Child = @{}
        foreach ($line in $script:ChildOutput -split '\r?\n') {
            if ($line -match '^(\w+)=(.*)$') { $script:Child[$Matches[1]] = $Matches[2].Trim() }
        }

        $os = if ($IsWindows) { 'win' } elseif ($IsMacOS) { 'osx' } else { 'linux' }
        $script:Rid = "$os-$([System.Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture.ToString().ToLowerInvariant())"
        $script:NativeName = if ($IsWindows) { 'krjwt.dll' } elseif ($IsMacOS) { 'libkrjwt.dylib' } else { 'libkrjwt.so' }
    }

    AfterAll {
        if ($script:Work) { Remove-Item -LiteralPath $script:Work -Recurse -Force -ErrorAction Ignore }
    }

    It 'is named KrJwt.<version>.nupkg after the manifest version' {
        [System.IO.Path]::GetFileName($script:Package) | Should -Be "KrJwt.$($script:Version).nupkg"
    }

    It 'holds the module at its root, help, formats and the native library under runtimes/<rid>/native' {
        foreach ($entry in 'KrJwt.nuspec', 'KrJwt.psd1', 'KrJwt.dll', 'KrJwt.Format.ps1xml', 'en-US/KrJwt.dll-Help.xml', 'en-US/about_KrJwt.help.txt', "runtimes/$($script:Rid)/native/$($script:NativeName)") {
            $script:Entries | Should -Contain $entry
        }
        # The native library is under runtimes/ only, and no debug symbols come along.
        @($script:Entries | Where-Object { $_ -cin 'libkrjwt.so', 'libkrjwt.dylib', 'krjwt.dll' -or $_ -like '*.pdb' }) | Should -HaveCount 0
    }

    It 'claims, in the manifest and the package tags, exactly the platforms whose libraries it carries' {
        $platforms = @{ win = 'Windows'; linux = 'Linux'; osx = 'MacOS' }
        $carried = @($script:Entries | ForEach-Object { if ($_ -match '^runtimes/([a-z]+)-[^/]+/native/') { $platforms[$Matches[1]] } } | Sort-Object -Unique)
        $carried | Should -Contain $platforms[$script:Rid.Split('-')[0]]
        $ns = @{ n = $script:Nuspec.DocumentElement.NamespaceURI }
        $packageTags = (Select-Xml -Xml $script:Nuspec -XPath '/n:package/n:metadata/n:tags' -Namespace $ns).Node.InnerText.Split(' ')
        foreach ($tags in @($script:Manifest.PrivateData.PSData.Tags), $packageTags) {
            @($tags | Where-Object { $_ -in $platforms.Values } | Sort-Object -Unique) | Should -Be $carried
        }
    }

    It 'is not packed when the manifest claims a platform it has no library for' {
        $copy = Join-Path (New-Item -ItemType Directory (Join-Path $script:Work 'claims-windows')).FullName 'KrJwt'
        Copy-Item -LiteralPath $script:Stage -Destination $copy -Recurse -Force
        $manifestPath = Join-Path $copy 'KrJwt.psd1'
        $other = if ($IsWindows) { 'Linux' } else { 'Windows' }
        (Get-Content -LiteralPath $manifestPath -Raw).Replace("'PSEdition_Core'", "'PSEdition_Core', '$other'") | Set-Content -LiteralPath $manifestPath
        { & (Join-Path $script:RepoRoot 'tools/New-KrModulePackage.ps1') -ModulePath $copy -OutputDirectory (Join-Path $script:Work 'claims-windows/package') } |
            Should -Throw "*platform tags*$other*do not match the native libraries*"
        Test-Path -LiteralPath (Join-Path $script:Work 'claims-windows/package') | Should -BeFalse
    }

    It 'describes the module as the Gallery reads it (id, version, authors, description, URIs, tags)' {
        $ns = [System.Xml.XmlNamespaceManager]::new($script:Nuspec.NameTable)
        $ns.AddNamespace('n', $script:Nuspec.DocumentElement.NamespaceURI)
        function Get-Meta([string] $Name) { $script:Nuspec.SelectSingleNode("/n:package/n:metadata/n:$Name", $ns).InnerText }
        Get-Meta 'id' | Should -Be 'KrJwt'
        Get-Meta 'version' | Should -Be $script:Version
        Get-Meta 'authors' | Should -Be $script:Manifest['Author']
        Get-Meta 'description' | Should -Be $script:Manifest['Description']
        Get-Meta 'projectUrl' | Should -Be $script:Manifest['PrivateData']['PSData']['ProjectUri']
        Get-Meta 'licenseUrl' | Should -Be $script:Manifest['PrivateData']['PSData']['LicenseUri']
        $tags = (Get-Meta 'tags').Split(' ')
        foreach ($tag in 'PSModule', 'PSEdition_Core', 'PSIncludes_Cmdlet', 'JWT') { $tags | Should -Contain $tag }
        foreach ($cmdlet in $script:Manifest['CmdletsToExport']) {
            $tags | Should -Contain "PSCmdlet_$cmdlet"
            $tags | Should -Contain "PSCommand_$cmdlet"
        }
        $tags | Should -Contain 'PSCommand_New-KrJWTTokenBuilder'
    }

    It 'the manifest is ready for the Gallery: version, GUID, author, editions, explicit exports, PSData, help and formats' {
        $script:Manifest['ModuleVersion'] | Should -Match '^\d+\.\d+\.\d+$'
        [Guid]::Parse($script:Manifest['GUID']) | Should -Not -Be ([Guid]::Empty)
        $script:Manifest['Author'] | Should -Not -BeNullOrEmpty
        $script:Manifest['CompatiblePSEditions'] | Should -Contain 'Core'
        @($script:Manifest['CmdletsToExport']) | Should -Not -Contain '*'
        @($script:Manifest['CmdletsToExport']).Count | Should -Be (Get-Module KrJwt).ExportedCmdlets.Count
        @($script:Manifest['AliasesToExport']) | Should -Be 'New-KrJWTTokenBuilder'
        @($script:Manifest['FunctionsToExport']).Count | Should -Be 0
        $script:Manifest['FormatsToProcess'] | Should -Be 'KrJwt.Format.ps1xml'
        # Help ships in the package; no HelpInfoURI points at a place that serves no updatable help.
        $script:Manifest.ContainsKey('HelpInfoURI') | Should -BeFalse
        foreach ($key in 'Tags', 'ProjectUri', 'LicenseUri') { $script:Manifest['PrivateData']['PSData'][$key] | Should -Not -BeNullOrEmpty }
        $installed = Test-ModuleManifest -Path (Join-Path $script:InstallPath 'KrJwt.psd1') -ErrorAction Stop
        $installed.Version.ToString() | Should -Be $script:Version
    }

    It 'imports by name from a clean module path and loads the native library from runtimes/<rid>/native' {
        $script:ChildExitCode | Should -Be 0 -Because $script:ChildOutput
        $script:Child['ModuleBase'] | Should -Be $script:InstallPath
        $script:Child['Version'] | Should -Be $script:Version
        $script:Child['Native'] | Should -Be (Join-Path $script:InstallPath "runtimes/$($script:Rid)/native/$($script:NativeName)")
        [int]$script:Child['Commands'] | Should -Be ((Get-Module KrJwt).ExportedCommands.Count)
        [int]$script:Child['Formats'] | Should -Be 1
    }

    It 'issues and validates tokens from the installed module, and has its help' {
        $script:Child['Valid'] | Should -Be 'True'
        $script:Child['RsaValid'] | Should -Be 'True'
        $script:Child['Tampered'] | Should -Be 'False'
        $script:Child['Synopsis'] | Should -Be (Get-Help Build-KrJWT).Synopsis
    }
}
