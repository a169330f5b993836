# The cmdlet help: the platyPS-style pages in docs/cmdlets agree with the cmdlets (every public parameter
# documented with its real type, sets, position, pipeline input and aliases; nothing documented that does
# not exist), say something, have examples that run, and are what Get-Help shows from the staged module
# (out/KrJwt/en-US/KrJwt.dll-Help.xml, compiled by tools/ConvertTo-MamlHelp.ps1).
#
# The examples run in a child process (tests/pester/DocSnippetRunner.ps1), each in a fresh runspace with
# the staged module imported: they must be self-contained (make their own keys) and run offline.

Describe 'Cmdlet help (docs/cmdlets)' {
    # Discovery: one test case per page and per example.
    $repoRoot = [System.IO.Path]::GetFullPath([System.IO.Path]::Combine($PSScriptRoot, '..', '..'))
    $discovered = & ([System.IO.Path]::Combine($repoRoot, 'tools', 'ConvertTo-MamlHelp.ps1')) -Path ([System.IO.Path]::Combine($repoRoot, 'docs', 'cmdlets')) -AsObject
    $pageCases = @(foreach ($page in $discovered) { @{ Name = $page.Name } })
    $exampleCases = @(foreach ($page in $discovered) {
            for ($i = 0; $i -lt $page.Examples.Count; $i++) { @{ Name = $page.Name; Index = $i + 1; Title = $page.Examples[$i].Title } }
        })

    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))
        . ([System.IO.Path]::Combine($PSScriptRoot, 'DocHelpers.ps1'))

        $script:Pages = @{}
        foreach ($page in Get-DocPage) { $script:Pages[$page.Name] = $page }
        $script:Module = Get-Module KrJwt
        $script:Common = [System.Management.Automation.Cmdlet]::CommonParameters

        # Every example of every page, each in a fresh runspace of one child process.
        $snippets = foreach ($page in $script:Pages.Values) {
            for ($i = 0; $i -lt $page.Examples.Count; $i++) { [pscustomobject]@{ Id = "$($page.Name)#$($i + 1)"; Code = $page.Examples[$i].Code } }
        }
        $script:ExampleResults = Invoke-DocSnippet -Snippet @($snippets)

        # A parameter's real sets: set name -> ParameterSetMetadata, with "all sets" spelled out.
        function Get-RealSet($Command, $Parameter) {
            $sets = [ordered]@{}
            foreach ($name in $Parameter.ParameterSets.Keys) {
                if ($name -eq '__AllParameterSets') {
                    foreach ($set in $Command.ParameterSets) { $sets[$set.Name] = $Parameter.ParameterSets[$name] }
                }
                else { $sets[$name] = $Parameter.ParameterSets[$name] }
            }
            $sets
        }

        function Format-Pipeline($Set) {
            $kinds = @()
            if ($Set.ValueFromPipeline) { $kinds += 'ByValue' }
            if ($Set.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
            if ($kinds.Count) { "True ($($kinds -join ', '))" } else { 'False' }
        }

        function Get-PublicParameter($Command) {
            @($Command.Parameters.Values | Where-Object { $_.Name -notin $script:Common })
        }

        # Every text of a page, for the placeholder check.
        function Get-PageText($Page) {
            @($Page.Synopsis) + $Page.Description + $Page.Notes +
            @($Page.Examples | ForEach-Object { $_.Title; $_.Code; $_.Remarks }) +
            @($Page.Parameters | ForEach-Object { $_.Description }) +
            @($Page.Inputs + $Page.Outputs | ForEach-Object { $_.Type; $_.Description }) +
            @($Page.RelatedLinks | ForEach-Object { $_.Text; $_.Uri })
        }
    }

    It 'has a page for every exported cmdlet' {
        $missing = @($script:Module.ExportedCmdlets.Keys | Where-Object { -not $script:Pages.ContainsKey($_) })
        $missing -join ', ' | Should -BeNullOrEmpty
    }

    It 'has no page for a cmdlet the module does not export' {
        $extra = @($script:Pages.Keys | Where-Object { -not $script:Module.ExportedCmdlets.ContainsKey($_) })
        $extra -join ', ' | Should -BeNullOrEmpty
    }

    It '<Name>: says what it does (synopsis, description, examples, inputs, outputs, notes, links; no placeholders)' -TestCases $pageCases {
        $page = $script:Pages[$Name]
        $page.Synopsis | Should -Not -BeNullOrEmpty
        ($page.Description -join ' ').Trim() | Should -Not -BeNullOrEmpty
        $page.Examples.Count | Should -BeGreaterThan 1
        foreach ($example in $page.Examples) { ($example.Remarks -join ' ').Trim() | Should -Not -BeNullOrEmpty }
        $page.Inputs.Count | Should -BeGreaterThan 0
        $page.Outputs.Count | Should -BeGreaterThan 0
        ($page.Notes -join ' ').Trim() | Should -Not -BeNullOrEmpty
        $page.RelatedLinks.Count | Should -BeGreaterThan 0
        foreach ($parameter in $page.Parameters) { "-$($parameter.Name): $($parameter.Description -join ' ')".Trim() | Should -Not -Match ':$' }
        $placeholders = @(Get-PageText $page | Where-Object { [string]$_ -match '\{\{' })
        $placeholders -join ' | ' | Should -BeNullOrEmpty
    }

    It '<Name>: documents every public parameter, and no parameter that does not exist' -TestCases $pageCases {
        $command = Get-Command $Name -Module KrJwt
        $real = @(Get-PublicParameter $command | ForEach-Object Name)
        $documented = @($script:Pages[$Name].Parameters | ForEach-Object Name)
        @($real | Where-Object { $_ -cnotin $documented }) -join ', ' | Should -BeNullOrEmpty -Because 'every public parameter is documented'
        @($documented | Where-Object { $_ -cnotin $real }) -join ', ' | Should -BeNullOrEmpty -Because 'documented parameters exist'
    }

    It '<Name>: each parameter''s type, sets, position, pipeline input, aliases and default agree with the cmdlet' -TestCases $pageCases {
        $command = Get-Command $Name -Module KrJwt
        $allSets = @($command.ParameterSets | ForEach-Object Name)
        $instance = [Activator]::CreateInstance($command.ImplementingType)
        $problems = [System.Collections.Generic.List[string]]::new()
        foreach ($doc in $script:Pages[$Name].Parameters) {
            $parameter = $command.Parameters[$doc.Name]
            if (-not $parameter) { continue }
            $real = Get-RealSet $command $parameter
            $covered = [System.Collections.Generic.List[string]]::new()
            foreach ($meta in $doc.Metadata) {
                if ($meta.Type -cne $parameter.ParameterType.Name) { $problems.Add("-$($doc.Name): Type is $($parameter.ParameterType.Name), not $($meta.Type)") }
                $wanted = @($parameter.Aliases) -join ','
                if ((@($meta.Aliases) -join ',') -cne $wanted) { $problems.Add("-$($doc.Name): Aliases are '$wanted', not '$($meta.Aliases -join ',')'") }
                $sets = if ($meta.ParameterSets -contains '(All)') { $allSets } else { $meta.ParameterSets }
                foreach ($set in $sets) {
                    if (-not $real.Contains($set)) { $problems.Add("-$($doc.Name): not in the parameter set '$set'"); continue }
                    $covered.Add($set)
                    $actual = $real[$set]
                    $position = if ($actual.Position -eq [int]::MinValue) { 'Named' } else { [string]$actual.Position }
                    if ($meta.Required -ne $actual.IsMandatory) { $problems.Add("-$($doc.Name) [$set]: Required is $($actual.IsMandatory)") }
                    if ($meta.Position -ne $position) { $problems.Add("-$($doc.Name) [$set]: Position is $position, not $($meta.Position)") }
                    if ($meta.PipelineInput -ne (Format-Pipeline $actual)) { $problems.Add("-$($doc.Name) [$set]: Accept pipeline input is $(Format-Pipeline $actual), not $($meta.PipelineInput)") }
                }
            }
            foreach ($set in $real.Keys) { if (-not $covered.Contains($set)) { $problems.Add("-$($doc.Name): the set '$set' is not documented") } }
            # A default the cmdlet really has must be documented (an unset parameter is not "None").
            $property = $command.ImplementingType.GetProperty($doc.Name)
            if ($property -and -not $parameter.SwitchParameter) {
                $value = $property.GetValue($instance)
                $trivial = $null -eq $value -or ($value -is [string] -and $value.Length -eq 0) -or
                ($value -is [ValueType] -and $value.Equals([Activator]::CreateInstance($value.GetType())))
                if (-not $trivial -and $doc.Metadata[0].DefaultValue -eq 'None') { $problems.Add("-$($doc.Name): the default is $value, not None") }
            }
        }
        $problems -join "`n" | Should -BeNullOrEmpty
    }

    It '<Name>: the syntax shows each parameter set with its parameters' -TestCases $pageCases {
        $command = Get-Command $Name -Module KrJwt
        $page = $script:Pages[$Name]
        $real = @($command.ParameterSets | ForEach-Object Name)
        (@($page.Syntax | ForEach-Object SetName) -join ', ') | Should -Be ($real -join ', ')
        foreach ($syntax in $page.Syntax) {
            $set = $command.ParameterSets | Where-Object Name -EQ $syntax.SetName
            $expected = [System.Collections.Generic.List[string]]@($set.Parameters | Where-Object { $_.Name -notin $script:Common } | ForEach-Object Name)
            $shown = [System.Collections.Generic.List[string]]@([regex]::Matches($syntax.Text, '(?<![\w-])-(\w+)') | ForEach-Object { $_.Groups[1].Value })
            $expected.Sort([System.StringComparer]::Ordinal)
            $shown.Sort([System.StringComparer]::Ordinal)
            ($shown -join ' ') | Should -Be ($expected -join ' ') -Because "the syntax of $($syntax.SetName) lists the parameters of the set"
            $syntax.Text | Should -Match "^$([regex]::Escape($Name)) "
            $syntax.IsDefault | Should -Be ($real.Count -gt 1 -and $syntax.SetName -eq $command.DefaultParameterSet)
        }
    }

    It '<Name>: Get-Help shows the compiled page (synopsis, description, parameters, examples)' -TestCases $pageCases {
        $page = $script:Pages[$Name]
        $help = Get-Help $Name -Full
        $help.Synopsis | Should -BeExactly $page.Synopsis
        ($help.description | ForEach-Object Text) -join "`n" | Should -Not -BeNullOrEmpty
        @($help.parameters.parameter | ForEach-Object name) -join ',' | Should -Be (@($page.Parameters | ForEach-Object Name) -join ',')
        $examples = @((Get-Help $Name -Examples).examples.example)
        $examples | Should -HaveCount $page.Examples.Count
        $examples[0].code | Should -BeExactly $page.Examples[0].Code
    }

    It 'Get-Help finds New-KrJWTBuilder''s page through its alias New-KrJWTTokenBuilder' {
        (Get-Help New-KrJWTTokenBuilder).Name | Should -Be 'New-KrJWTBuilder'
    }

    It 'the staged help (out/KrJwt/en-US/KrJwt.dll-Help.xml) is compiled from the current pages' {
        $staged = [System.IO.Path]::Combine($script:RepoRoot, 'out', 'KrJwt', 'en-US', 'KrJwt.dll-Help.xml')
        $fresh = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "krjwt-help-$([Guid]::NewGuid().ToString('N')).xml")
        try {
            & ([System.IO.Path]::Combine($script:RepoRoot, 'tools', 'ConvertTo-MamlHelp.ps1')) -Path ([System.IO.Path]::Combine($script:RepoRoot, 'docs', 'cmdlets')) -OutputPath $fresh
            [System.IO.File]::Exists($staged) | Should -BeTrue -Because 'the build compiles the help (./build.sh)'
            [System.IO.File]::ReadAllText($staged) -eq [System.IO.File]::ReadAllText($fresh) | Should -BeTrue -Because 'docs/cmdlets changed since the last build: run ./build.sh'
        }
        finally { if ([System.IO.File]::Exists($fresh)) { [System.IO.File]::Delete($fresh) } }
    }

    It '<Name> example <Index> runs (<Title>)' -TestCases $exampleCases {
        $result = $script:ExampleResults["$Name#$Index"]
        $result | Should -Not -BeNullOrEmpty
        $result.Message | Should -BeNullOrEmpty
        $result.Passed | Should -BeTrue
    }
}

Describe 'MAML compiler (tools/ConvertTo-MamlHelp.ps1)' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'TestHelpers.ps1'))
        $script:Compiler = [System.IO.Path]::Combine($script:RepoRoot, 'tools', 'ConvertTo-MamlHelp.ps1')
        $script:Work = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), 'krjwt-maml-' + [Guid]::NewGuid().ToString('N'))
        $null = [System.IO.Directory]::CreateDirectory($script:Work)
        function Write-TestPage([string] $Name, [string] $Text) {
            $path = [System.IO.Path]::Combine($script:Work, "$Name.md")
            [System.IO.File]::WriteAllText($path, $Text)
            $path
        }
        $script:Valid = @'
# Get-Thing

## SYNOPSIS
Gets a thing.

## SYNTAX

### A (Default)
```
Get-Thing [-Name] <String> [<CommonParameters>]
```

### B
```
Get-Thing -Id <Int32> [-Force] [<CommonParameters>]
```

## DESCRIPTION
First **paragraph** with a [link](https://example.com/x)
spanning two lines.

- an item
- another

## EXAMPLES

### Example 1: Get one
```powershell
# a comment, not a heading
Get-Thing -Name x
```

It gets x.

```output
x
```

## PARAMETERS

### -Name
The name.

```yaml
Type: String
Parameter Sets: A
Aliases: N

Required: True
Position: 0
Default value: None
Accept pipeline input: True (ByValue)
Accept wildcard characters: False
```

### -Id
The id.

```yaml
Type: Int32
Parameter Sets: B
Aliases:

Required: True
Position: Named
Default value: None
Accept pipeline input: False
Accept wildcard characters: False
```

### -Force
Force it.

```yaml
Type: SwitchParameter
Parameter Sets: B
Aliases:

Required: False
Position: Named
Default value: False
Accept pipeline input: False
Accept wildcard characters: False
```

### CommonParameters
Common.

## INPUTS

### System.String
A name.

## OUTPUTS

### System.Object
The thing.

## NOTES
A note.

## RELATED LINKS

[Get-Other](Get-Other.md)
[Online](https://example.com/thing)
'@
    }

    AfterAll {
        if ([System.IO.Directory]::Exists($script:Work)) { [System.IO.Directory]::Delete($script:Work, $true) }
    }

    It 'reads every section of a page' {
        $page = & $script:Compiler -Path (Write-TestPage 'Get-Thing' $script:Valid) -AsObject
        $page.Name | Should -Be 'Get-Thing'
        $page.Synopsis | Should -Be 'Gets a thing.'
        $page.Description[0] | Should -Be 'First paragraph with a link (https://example.com/x) spanning two lines.'
        $page.Description[1] | Should -Be '- an item'
        @($page.Syntax | ForEach-Object SetName) -join ',' | Should -Be 'A,B'
        $page.Syntax[0].IsDefault | Should -BeTrue
        $page.Examples[0].Code | Should -Be "# a comment, not a heading`nGet-Thing -Name x"
        $page.Examples[0].Remarks -join '|' | Should -Be 'It gets x.|x'
        @($page.Parameters | ForEach-Object Name) -join ',' | Should -Be 'Name,Id,Force'
        $page.Parameters[0].Metadata[0].Aliases | Should -Be 'N'
        $page.Parameters[0].Metadata[0].Position | Should -Be '0'
        $page.Inputs[0].Type | Should -Be 'System.String'
        $page.Notes[0] | Should -Be 'A note.'
        @($page.RelatedLinks | ForEach-Object Uri) -join ',' | Should -Be 'Get-Other.md,https://example.com/thing'
    }

    It 'writes MAML that Get-Help''s schema expects: syntax items per set, parameters, examples, links' {
        $out = [System.IO.Path]::Combine($script:Work, 'maml.xml')
        & $script:Compiler -Path (Write-TestPage 'Get-Thing' $script:Valid) -OutputPath $out
        $xml = [System.Xml.XmlDocument]::new()
        $xml.Load($out)
        $ns = [System.Xml.XmlNamespaceManager]::new($xml.NameTable)
        $ns.AddNamespace('msh', 'http://msh')
        $ns.AddNamespace('command', 'http://schemas.microsoft.com/maml/dev/command/2004/10')
        $ns.AddNamespace('maml', 'http://schemas.microsoft.com/maml/2004/10')
        $ns.AddNamespace('dev', 'http://schemas.microsoft.com/maml/dev/2004/10')
        $command = $xml.SelectSingleNode('/msh:helpItems/command:command', $ns)
        $command.SelectSingleNode('command:details/command:name', $ns).InnerText | Should -Be 'Get-Thing'
        $command.SelectSingleNode('command:details/command:verb', $ns).InnerText | Should -Be 'Get'
        $command.SelectSingleNode('command:details/maml:description/maml:para', $ns).InnerText | Should -Be 'Gets a thing.'
        $items = $command.SelectNodes('command:syntax/command:syntaxItem', $ns)
        $items.Count | Should -Be 2
        @($items[1].SelectNodes('command:parameter/maml:name', $ns) | ForEach-Object InnerText) -join ',' | Should -Be 'Id,Force'
        # A switch has no value in the syntax ([-Force]) but a type in the parameter list.
        $items[1].SelectSingleNode("command:parameter[maml:name='Force']/command:parameterValue", $ns) | Should -BeNullOrEmpty
        $name = $command.SelectSingleNode("command:parameters/command:parameter[maml:name='Name']", $ns)
        $name.GetAttribute('position') | Should -Be '0'
        $name.GetAttribute('pipelineInput') | Should -Be 'True (ByValue)'
        $name.GetAttribute('aliases') | Should -Be 'N'
        $command.SelectSingleNode('command:examples/command:example/dev:code', $ns).InnerText | Should -Be "# a comment, not a heading`nGet-Thing -Name x"
        @($command.SelectNodes('command:relatedLinks/maml:navigationLink/maml:uri', $ns) | ForEach-Object InnerText) -join ',' | Should -Be ',https://example.com/thing'
    }

    It 'names the file and line of a page it cannot read' {
        $broken = $script:Valid.Replace("Required: True`nPosition: 0", "Required: Yes`nPosition: 0")
        { & $script:Compiler -Path (Write-TestPage 'Get-Thing' $broken) -AsObject } | Should -Throw -ExpectedMessage "*Get-Thing.md:*'Required' must be True or False*"
    }

    It 'refuses a page whose name is not its file name, and unknown sections' {
        { & $script:Compiler -Path (Write-TestPage 'Get-Other' $script:Valid) -AsObject } | Should -Throw -ExpectedMessage "*is for 'Get-Thing'*"
        { & $script:Compiler -Path (Write-TestPage 'Get-Thing' ($script:Valid + "`n## EXTRA`ntext`n")) -AsObject } | Should -Throw -ExpectedMessage "*Unknown section*"
    }
}
