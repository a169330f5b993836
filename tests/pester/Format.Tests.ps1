# Output formatting (powershell/KrJwt.Format.ps1xml, FormatsToProcess in the manifest): every output type
# has its views, the views show what they should, and no output, view or error ever shows key material.
#
# The objects come from FormatFixtures.ps1, made with known secrets, RSA/EC private keys and a passphrase.
# Three ways of looking at them: (1) every item of every view in the format file evaluated against every
# object of its type, whichever view PowerShell would pick; (2) the objects rendered by PowerShell's
# formatter in a child process (default view, Format-List and Format-Table); (3) the errors of refused keys.

Describe 'Output formatting (KrJwt.Format.ps1xml)' {
    BeforeAll {
        . (Join-Path $PSScriptRoot 'TestHelpers.ps1')
        . (Join-Path $PSScriptRoot 'FormatFixtures.ps1')
        $script:Fixture = New-FormatFixture
        $script:FormatFile = Join-Path $script:RepoRoot 'out/KrJwt/KrJwt.Format.ps1xml'
        $script:Xml = [System.Xml.XmlDocument]::new()
        $script:Xml.Load($script:FormatFile)

        # The secrets found in a text, looking through line wrapping too.
        function Find-Secret([string] $Text) {
            $flat = $Text -replace '\s', ''
            @($script:Fixture.Secrets | Where-Object { $_ -and ($Text.Contains($_) -or $flat.Contains($_)) })
        }

        # The objects a view applies to (its TypeName, matched on the object's type names).
        function Get-ViewObject($View) {
            $types = @($View.ViewSelectedBy.TypeName)
            foreach ($object in $script:Fixture.Objects.Values) {
                if (@($object.PSObject.TypeNames | Where-Object { $_ -in $types }).Count) { $object }
            }
        }
    }

    AfterAll {
        if ($script:Fixture) { & $script:Fixture.Cleanup }
    }

    It 'the manifest loads the format file' {
        $formats = @((Get-Module KrJwt).ExportedFormatFiles)
        @($formats | Where-Object { [System.IO.Path]::GetFileName($_) -eq 'KrJwt.Format.ps1xml' }) | Should -HaveCount 1
    }

    It 'has a default view for every type the cmdlets output' -TestCases @(
        @{ Type = 'KrJwt.JwtBuilderResult'; Control = 'TableControl' }
        @{ Type = 'KrJwt.JwtValidationReport'; Control = 'TableControl' }
        @{ Type = 'KrJwt.JwtBearerReport'; Control = 'TableControl' }
        @{ Type = 'KrJwt.JwtInfo'; Control = 'ListControl' }
        @{ Type = 'KrJwt.JwtValidationParameters'; Control = 'ListControl' }
        @{ Type = 'KrJwt.Jwk'; Control = 'TableControl' }
        @{ Type = 'KrJwt.JwtTokenBuilder'; Control = 'TableControl' }
        @{ Type = 'KrJwt.JwtBearerScheme'; Control = 'TableControl' }
    ) {
        $views = @($script:Xml.Configuration.ViewDefinitions.View | Where-Object { $_.ViewSelectedBy.TypeName -eq $Type })
        $views.Count | Should -BeGreaterThan 0
        # The first view of a type is its default.
        # (XmlElement values are not given to Should: a runner may walk their whole document to show them.)
        $null -ne $views[0].SelectSingleNode($Control) | Should -BeTrue
    }

    It 'the result table shows Algorithm, Issuer, Subject, Expires and IsEncrypted; its list view the rest with the token shortened' {
        $views = @($script:Xml.Configuration.ViewDefinitions.View | Where-Object { $_.ViewSelectedBy.TypeName -eq 'KrJwt.JwtBuilderResult' })
        (@($views[0].TableControl.TableHeaders.TableColumnHeader | ForEach-Object Label) -join ',') | Should -Be 'Algorithm,Issuer,Subject,Expires,IsEncrypted'
        $list = $views | Where-Object { $_.ListControl }
        $labels = @($list.ListControl.ListEntries.ListEntry.ListItems.ListItem | ForEach-Object { if ($_.Label) { $_.Label } else { $_.PropertyName } })
        foreach ($name in 'Algorithm', 'KeyId', 'Issuer', 'Audiences', 'Subject', 'IssuedAt', 'NotBefore', 'Expires', 'IsEncrypted', 'Header', 'Claims', 'Token') {
            $labels | Should -Contain $name
        }
        $token = $list.ListControl.ListEntries.ListEntry.ListItems.ListItem | Where-Object Label -EQ 'Token'
        $shown = $script:Fixture.Objects['JwtBuilderResult'] | ForEach-Object ([scriptblock]::Create($token.ScriptBlock))
        $shown | Should -Match '^eyJ.{21}\.\.\. \(\d+ characters\)$'
    }

    It 'the validation report table shows IsValid, Reason and Message' {
        $view = @($script:Xml.Configuration.ViewDefinitions.View | Where-Object { $_.ViewSelectedBy.TypeName -eq 'KrJwt.JwtValidationReport' })[0]
        (@($view.TableControl.TableHeaders.TableColumnHeader | ForEach-Object Label) -join ',') | Should -Be 'IsValid,Reason,Message'
    }

    It 'a Jwk is formatted as one key, not as its dictionary entries' {
        $expansion = $script:Xml.Configuration.DefaultSettings.EnumerableExpansions.EnumerableExpansion |
            Where-Object { $_.EntrySelectedBy.TypeName -eq 'KrJwt.Jwk' }
        $expansion.Expand | Should -Be 'CoreOnly'
    }

    It 'every item of every view evaluates without error and shows no key material' {
        $problems = [System.Collections.Generic.List[string]]::new()
        $evaluated = 0
        foreach ($view in $script:Xml.Configuration.ViewDefinitions.View) {
            $objects = @(Get-ViewObject $view)
            if ($objects.Count -eq 0) { $problems.Add("view $($view.Name): no fixture object of its type"); continue }
            $items = @($view.SelectNodes('.//TableColumnItem | .//ListItem'))
            foreach ($object in $objects) {
                foreach ($item in $items) {
                    $condition = $item.SelectSingleNode('ItemSelectionCondition/ScriptBlock')
                    if ($condition -and -not ($object | ForEach-Object ([scriptblock]::Create($condition.InnerText)))) { continue }
                    $text = try {
                        if ($item.ScriptBlock) { [string](@($object | ForEach-Object ([scriptblock]::Create($item.ScriptBlock))) -join ' ') }
                        else { [string]$object.($item.PropertyName) }
                    }
                    catch { $problems.Add("view $($view.Name): $($item.OuterXml) failed: $_"); '' }
                    $evaluated++
                    foreach ($secret in Find-Secret $text) { $problems.Add("view $($view.Name) shows key material: $($secret.Substring(0, 8))...") }
                }
            }
        }
        $evaluated | Should -BeGreaterThan 100
        $problems -join "`n" | Should -BeNullOrEmpty
    }

    It 'no object''s properties or string form hold key material' {
        $problems = foreach ($name in $script:Fixture.Objects.Keys) {
            $object = $script:Fixture.Objects[$name]
            $texts = @([string]$object) + @($object.PSObject.Properties | Where-Object MemberType -Match 'Property' | ForEach-Object {
                    try { [string]$_.Value } catch { '' }
                })
            foreach ($secret in Find-Secret ($texts -join "`n")) { "${name}: $($secret.Substring(0, 8))..." }
        }
        @($problems) -join "`n" | Should -BeNullOrEmpty
    }

    It 'the errors of refused keys do not repeat the key' {
        $problems = foreach ($name in $script:Fixture.Errors.Keys) {
            $record = $script:Fixture.Errors[$name]
            if ($null -eq $record) { "${name}: was not refused"; continue }
            $text = @($record.ToString(), $record.Exception.Message, [string]$record.TargetObject, $record.CategoryInfo.ToString(),
                $record.FullyQualifiedErrorId, [string]$record.ErrorDetails) -join "`n"
            foreach ($secret in Find-Secret $text) { "${name}: $($secret.Substring(0, 8))..." }
        }
        @($problems) -join "`n" | Should -BeNullOrEmpty
    }

    It 'the host renders every object with its view, and shows no key material' {
        $script = @'
param([string] $ModulePath, [string] $FixturePath, [string] $SecretsPath)
$ErrorActionPreference = 'Stop'
Import-Module $ModulePath
. $FixturePath
$fixture = New-FormatFixture
Set-Content -LiteralPath $SecretsPath -Value $fixture.Secrets
foreach ($name in $fixture.Objects.Keys) {
    "### $name"
    $fixture.Objects[$name] | Out-String
    $fixture.Objects[$name] | Format-List | Out-String
    $fixture.Objects[$name] | Format-Table | Out-String
}
foreach ($name in $fixture.Errors.Keys) {
    "### error: $name"
    $fixture.Errors[$name] | Out-String
}
& $fixture.Cleanup
'@
        $work = Join-Path ([System.IO.Path]::GetTempPath()) ('krjwt-format-' + [Guid]::NewGuid().ToString('N'))
        $null = New-Item -ItemType Directory $work
        try {
            $file = Join-Path $work 'render.ps1'
            $secretsFile = Join-Path $work 'secrets.txt'
            Set-Content -LiteralPath $file -Value $script
            $run = Invoke-TestPwsh '-File', $file, '-ModulePath', $script:ModuleManifest, '-FixturePath', (Join-Path $PSScriptRoot 'FormatFixtures.ps1'), '-SecretsPath', $secretsFile
            $output = $run.Output
            $run.ExitCode | Should -Be 0 -Because $output
            $secrets = Get-Content -LiteralPath $secretsFile
            $secrets.Count | Should -BeGreaterThan 10
            $flat = $output -replace '\s', ''
            $leaks = @($secrets | Where-Object { $_ -and ($output.Contains($_) -or $flat.Contains($_)) } | ForEach-Object { $_.Substring(0, 8) + '...' })
            $leaks -join ', ' | Should -BeNullOrEmpty
            # The default views were used.
            $output | Should -Match 'Algorithm\s+Issuer\s+Subject\s+Expires\s+IsEncrypted'
            $output | Should -Match 'IsValid\s+Reason\s+Message'
            $output | Should -Match 'KeyType\s+Curve\s+Use\s+Algorithm\s+KeyId'
            $output | Should -Match 'Scheme\s+IsValid\s+StatusCode\s+Reason\s+Message'
            $output | Should -Match 'Issuers\s+: FormatIssuer'
            $output | Should -Match 'Claims\s+: sub=format-user, scope=\[read, write\]'
            $output | Should -Not -Match 'Key\s+: kty'
        }
        finally {
            Remove-Item -LiteralPath $work -Recurse -Force
        }
    }
}
