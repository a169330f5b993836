#!/usr/bin/env pwsh
<#
.SYNOPSIS
Creates or refreshes the platyPS-style pages in docs/cmdlets from the cmdlets of an imported module.

.DESCRIPTION
The counterpart of platyPS's New-MarkdownHelp / Update-MarkdownHelp, without platyPS. For every
cmdlet the module exports it writes docs/cmdlets/<Name>.md:
- the parts that come from the code are (re)generated: the SYNTAX section (one block per parameter set,
  as PowerShell prints it) and every parameter's yaml block (type, parameter sets, aliases, required,
  position, pipeline input);
- everything people write is kept: synopsis, description, examples, parameter descriptions, default
  values, inputs, outputs, notes and links. A new page or a new parameter gets "{{ ... }}" placeholders,
  which tests/pester/Help.Tests.ps1 rejects until they are filled in. A parameter that no longer exists is
  dropped from its page, with a warning.
Run it after changing a cmdlet's parameters, then fill in what it asks for:
    pwsh -NoProfile -File tools/Update-KrHelpMarkdown.ps1

.PARAMETER ModulePath
The module manifest to import (default: the staged module out/KrJwt/KrJwt.psd1).
.PARAMETER OutputFolder
Where the pages are (default: docs/cmdlets).
.PARAMETER Name
Only these cmdlets (default: every exported cmdlet).
#>
[CmdletBinding()]
param(
    [string] $ModulePath = [System.IO.Path]::Combine($PSScriptRoot, '..', 'out', 'KrJwt', 'KrJwt.psd1'),
    [string] $OutputFolder = [System.IO.Path]::Combine($PSScriptRoot, '..', 'docs', 'cmdlets'),
    [string[]] $Name
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 3.0

$CommonParametersText = 'This cmdlet supports the common parameters: -Debug, -ErrorAction, -ErrorVariable, -InformationAction, ' +
'-InformationVariable, -OutBuffer, -OutVariable, -PipelineVariable, -ProgressAction, -Verbose, -WarningAction, and ' +
'-WarningVariable. For more information, see [about_CommonParameters](http://go.microsoft.com/fwlink/?LinkID=113216).'
$SectionOrder = 'SYNOPSIS', 'SYNTAX', 'DESCRIPTION', 'EXAMPLES', 'PARAMETERS', 'INPUTS', 'OUTPUTS', 'NOTES', 'RELATED LINKS'

#region Reading a page as raw Markdown sections

# The page as: front matter lines, and for each ## section the lines under its heading. Headings inside
# code blocks (PowerShell comments) are not headings.
function Split-PageSection([string[]] $Lines) {
    $sections = [ordered]@{}
    $current = $null
    $inFence = $false
    $start = 0
    if ($Lines.Count -gt 0 -and $Lines[0].Trim() -eq '---') {
        $start = [array]::IndexOf($Lines, '---', 1) + 1
    }
    for ($i = $start; $i -lt $Lines.Count; $i++) {
        $line = $Lines[$i]
        if ($line -match '^\s*```') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match '^##\s+(.+?)\s*$' -and $line -notmatch '^###') {
            $current = $Matches[1].ToUpperInvariant()
            $sections[$current] = [System.Collections.Generic.List[string]]::new()
            continue
        }
        if ($current) { $sections[$current].Add($line) }
    }
    $sections
}

# The ### items of a section: name -> lines under the heading.
function Split-SectionItem([string[]] $Lines) {
    $items = [ordered]@{}
    $current = $null
    $inFence = $false
    foreach ($line in $Lines) {
        if ($line -match '^\s*```') { $inFence = -not $inFence }
        if (-not $inFence -and $line -match '^###\s+(.+?)\s*$') {
            $current = $Matches[1]
            $items[$current] = [System.Collections.Generic.List[string]]::new()
            continue
        }
        if ($current) { $items[$current].Add($line) }
    }
    $items
}

# A parameter item's description (its lines outside ```yaml blocks) and the Default value of its yaml.
function Read-ParameterItem([string[]] $Lines) {
    $description = [System.Collections.Generic.List[string]]::new()
    $defaults = [System.Collections.Generic.List[string]]::new()
    $inYaml = $false
    foreach ($line in $Lines) {
        if ($line -match '^\s*```yaml\s*$') { $inYaml = $true; continue }
        if ($inYaml -and $line -match '^\s*```\s*$') { $inYaml = $false; continue }
        if ($inYaml) {
            if ($line -match '^Default value:\s*(.*)$') { $defaults.Add($Matches[1].Trim()) }
            continue
        }
        $description.Add($line)
    }
    [pscustomobject]@{ Description = (Format-Block $description); Defaults = $defaults.ToArray() }
}

# Lines without leading and trailing blank lines.
function Format-Block([string[]] $Lines) {
    $list = [System.Collections.Generic.List[string]]::new()
    foreach ($line in $Lines) { $list.Add($line.TrimEnd()) }
    while ($list.Count -gt 0 -and $list[0].Length -eq 0) { $list.RemoveAt(0) }
    while ($list.Count -gt 0 -and $list[$list.Count - 1].Length -eq 0) { $list.RemoveAt($list.Count - 1) }
    , $list.ToArray()
}

#endregion

#region What the code says

function Get-PublicParameter([System.Management.Automation.CommandInfo] $Command) {
    $common = [System.Management.Automation.Cmdlet]::CommonParameters
    foreach ($parameter in $Command.Parameters.Values) {
        if ($parameter.Name -notin $common) { $parameter }
    }
}

function Format-PipelineInput($SetMetadata) {
    $kinds = @()
    if ($SetMetadata.ValueFromPipeline) { $kinds += 'ByValue' }
    if ($SetMetadata.ValueFromPipelineByPropertyName) { $kinds += 'ByPropertyName' }
    if ($kinds.Count) { "True ($($kinds -join ', '))" } else { 'False' }
}

# One yaml description per distinct (required, position, pipeline) combination of a parameter across the
# parameter sets it is in.
function Get-ParameterYaml([System.Management.Automation.CommandInfo] $Command, $Parameter) {
    $allSets = @($Command.ParameterSets | ForEach-Object Name)
    $groups = [ordered]@{}
    foreach ($setName in $Parameter.ParameterSets.Keys) {
        $set = $Parameter.ParameterSets[$setName]
        $position = if ($set.Position -eq [int]::MinValue) { 'Named' } else { [string]$set.Position }
        $key = '{0}|{1}|{2}' -f $set.IsMandatory, $position, (Format-PipelineInput $set)
        if (-not $groups.Contains($key)) {
            $groups[$key] = [pscustomobject]@{
                Required = $set.IsMandatory; Position = $position; Pipeline = (Format-PipelineInput $set)
                Sets = [System.Collections.Generic.List[string]]::new()
            }
        }
        $sets = if ($setName -eq '__AllParameterSets') { $allSets } else { @($setName) }
        foreach ($s in $sets) { if (-not $groups[$key].Sets.Contains($s)) { $groups[$key].Sets.Add($s) } }
    }
    foreach ($group in $groups.Values) {
        $inAll = $groups.Count -eq 1 -and @($allSets | Where-Object { -not $group.Sets.Contains($_) }).Count -eq 0
        [pscustomobject]@{
            Sets     = $(if ($inAll) { '(All)' } else { $group.Sets -join ', ' })
            Required = $group.Required
            Position = $group.Position
            Pipeline = $group.Pipeline
        }
    }
}

# The default a new instance of the cmdlet has (what an unbound parameter is), for a new page.
function Get-DefaultText([System.Management.Automation.CommandInfo] $Command, $Parameter) {
    if ($Parameter.SwitchParameter) { return 'False' }
    $instance = [Activator]::CreateInstance($Command.ImplementingType)
    $property = $Command.ImplementingType.GetProperty($Parameter.Name)
    if (-not $property) { return 'None' }
    $value = $property.GetValue($instance)
    if ($null -eq $value -or ($value -is [string] -and $value.Length -eq 0)) { return 'None' }
    if ($value -is [ValueType] -and $value.Equals([Activator]::CreateInstance($value.GetType()))) {
        if ($value -is [double] -or $value -is [int]) { return '0' }
        return 'None'
    }
    [string]$value
}

# The syntax lines of a set as PowerShell prints it, wrapped as platyPS wraps (continuations indented).
function Format-Syntax([string] $CommandName, $Set) {
    $words = ("$CommandName $Set").Split(' ')
    $lines = [System.Collections.Generic.List[string]]::new()
    $current = ''
    $open = 0
    $unit = ''
    # Keep "[-Name <Type>]" together: split on spaces outside brackets only.
    foreach ($word in $words) {
        $unit = if ($unit) { "$unit $word" } else { $word }
        $open += ([regex]::Matches($word, '[\[<]').Count - [regex]::Matches($word, '[\]>]').Count)
        if ($open -gt 0) { continue }
        $candidate = if ($current) { "$current $unit" } else { $unit }
        if ($candidate.Length -gt 90 -and $current) { $lines.Add($current); $current = " $unit" } else { $current = $candidate }
        $unit = ''
    }
    if ($current) { $lines.Add($current) }
    $lines.ToArray()
}

#endregion

function Get-PageText([System.Management.Automation.CmdletInfo] $Command, [string] $File) {
    $old = if ([System.IO.File]::Exists($File)) { Split-PageSection ([System.IO.File]::ReadAllLines($File)) } else { [ordered]@{} }
    $out = [System.Collections.Generic.List[string]]::new()
    $name = $Command.Name
    $out.AddRange([string[]]@('---', 'external help file: KrJwt.dll-Help.xml', 'Module Name: KrJwt',
            'online version:', 'schema: 2.0.0', '---', '', "# $name", ''))

    function Add-Section([string] $Title, [string[]] $Lines) {
        $out.Add("## $Title")
        foreach ($line in $Lines) { $out.Add($line) }
        $out.Add('')
    }
    function Get-Old([string] $Title, [string[]] $Placeholder) {
        if ($old.Contains($Title)) {
            $kept = Format-Block $old[$Title]
            if ($kept.Count) { return $kept }
        }
        $Placeholder
    }

    Add-Section 'SYNOPSIS' (Get-Old 'SYNOPSIS' @('{{ Fill in the Synopsis }}'))

    $syntax = [System.Collections.Generic.List[string]]::new()
    $default = $Command.DefaultParameterSet
    foreach ($set in $Command.ParameterSets) {
        $title = if ($set.Name -eq '__AllParameterSets') { '__AllParameterSets' } else { $set.Name }
        if ($set.Name -eq $default -and @($Command.ParameterSets).Count -gt 1) { $title += ' (Default)' }
        $syntax.AddRange([string[]]@('', "### $title", '```'))
        $syntax.AddRange([string[]](Format-Syntax $name $set.ToString()))
        $syntax.Add('```')
    }
    $out.Add('## SYNTAX')
    $out.AddRange($syntax)
    $out.Add('')

    Add-Section 'DESCRIPTION' (Get-Old 'DESCRIPTION' @('{{ Fill in the Description }}'))
    Add-Section 'EXAMPLES' (Get-Old 'EXAMPLES' @('', '### Example 1: {{ Title }}', '```powershell', '{{ Add example code here }}', '```', '',
            '{{ Add example description here }}'))

    # Parameters: kept descriptions, regenerated yaml, in a fixed order: positional ones by position, then
    # mandatory, optional and switch parameters in declaration order, -WhatIf and -Confirm last.
    $oldItems = if ($old.Contains('PARAMETERS')) { Split-SectionItem $old['PARAMETERS'] } else { [ordered]@{} }
    $parameters = @(Get-PublicParameter $Command)
    foreach ($key in $oldItems.Keys) {
        if ($key -ne 'CommonParameters' -and -not ($key -match '^-(\w+)$' -and $Matches[1] -cin @($parameters | ForEach-Object Name))) {
            Write-Warning "$name`: the parameter '$key' no longer exists; its section is dropped."
        }
    }
    $index = 0
    $ranked = foreach ($p in $parameters) {
        $sets = @($p.ParameterSets.Values)
        $positions = @($sets | Where-Object { $_.Position -ge 0 } | ForEach-Object Position)
        $rank = if ($p.Name -in 'WhatIf', 'Confirm') { 5 }
        elseif ($positions.Count) { 0 }
        elseif (@($sets | Where-Object IsMandatory).Count) { 1 }
        elseif ($p.SwitchParameter) { 3 }
        else { 2 }
        $first = if ($positions.Count) { [int]($positions | Measure-Object -Minimum).Minimum } else { 0 }
        [pscustomobject]@{ Parameter = $p; Key = '{0}{1:D6}{2:D4}' -f $rank, $first, ($index++) }
    }
    $ordered = @($ranked | Sort-Object Key | ForEach-Object Parameter)

    $out.Add('## PARAMETERS')
    foreach ($parameter in $ordered) {
        $kept = if ($oldItems.Contains("-$($parameter.Name)")) { Read-ParameterItem $oldItems["-$($parameter.Name)"] } else { $null }
        $description = if ($kept -and $kept.Description.Count) { $kept.Description }
        elseif ($parameter.Name -eq 'WhatIf') { @('Shows what would happen if the cmdlet runs. The cmdlet is not run.') }
        elseif ($parameter.Name -eq 'Confirm') { @('Prompts you for confirmation before running the cmdlet.') }
        else { @("{{ Fill $($parameter.Name) Description }}") }
        $out.AddRange([string[]]@('', "### -$($parameter.Name)"))
        $out.AddRange([string[]]$description)
        $yaml = @(Get-ParameterYaml $Command $parameter)
        for ($i = 0; $i -lt $yaml.Count; $i++) {
            $defaultText = if ($kept -and $kept.Defaults.Count -gt $i) { $kept.Defaults[$i] }
            elseif ($kept -and $kept.Defaults.Count) { $kept.Defaults[0] }
            else { Get-DefaultText $Command $parameter }
            $out.AddRange([string[]]@('', '```yaml',
                    "Type: $($parameter.ParameterType.Name)",
                    "Parameter Sets: $($yaml[$i].Sets)",
                    "Aliases: $($parameter.Aliases -join ', ')".TrimEnd(),
                    '',
                    "Required: $($yaml[$i].Required)",
                    "Position: $($yaml[$i].Position)",
                    "Default value: $defaultText",
                    "Accept pipeline input: $($yaml[$i].Pipeline)",
                    'Accept wildcard characters: False',
                    '```'))
        }
    }
    $out.AddRange([string[]]@('', '### CommonParameters', $CommonParametersText, ''))

    $inputs = @(foreach ($p in $parameters) {
            foreach ($s in $p.ParameterSets.Values) { if ($s.ValueFromPipeline -or $s.ValueFromPipelineByPropertyName) { $p.ParameterType.FullName; break } }
        })
    $inputPlaceholder = if ($inputs.Count) { foreach ($t in $inputs) { "### $t"; '{{ Describe the input }}'; '' } } else { '### None', 'This cmdlet takes no pipeline input.' }
    Add-Section 'INPUTS' (@('') + (Format-Block (Get-Old 'INPUTS' $inputPlaceholder)))
    $outputPlaceholder = foreach ($t in $Command.OutputType) { "### $($t.Name)"; '{{ Describe the output }}'; '' }
    Add-Section 'OUTPUTS' (@('') + (Format-Block (Get-Old 'OUTPUTS' @($outputPlaceholder))))
    Add-Section 'NOTES' (Get-Old 'NOTES' @('{{ Fill in the Notes }}'))
    $out.Add('## RELATED LINKS')
    $out.Add('')
    $out.AddRange([string[]](Get-Old 'RELATED LINKS' @('{{ Add related links }}')))

    foreach ($title in $old.Keys) {
        if ($title -notin $SectionOrder) { Write-Warning "$name`: the unknown section '## $title' is dropped." }
    }
    ($out -join "`n").TrimEnd() + "`n"
}

Import-Module ([System.IO.Path]::GetFullPath($ModulePath)) -Force
$module = Get-Module KrJwt
$folder = [System.IO.Path]::GetFullPath($OutputFolder)
$null = [System.IO.Directory]::CreateDirectory($folder)
foreach ($exported in $module.ExportedCmdlets.Values) {
    if ($Name -and $exported.Name -notin $Name) { continue }
    # Get-Command, not the module's table: only its ParameterSets include the dynamic (key) parameters.
    $command = Get-Command -Name $exported.Name -Module $module.Name -CommandType Cmdlet
    $file = [System.IO.Path]::Combine($folder, "$($command.Name).md")
    $text = Get-PageText -Command $command -File $file
    $before = if ([System.IO.File]::Exists($file)) { [System.IO.File]::ReadAllText($file) } else { $null }
    if ($text -ne $before) {
        [System.IO.File]::WriteAllText($file, $text, [System.Text.UTF8Encoding]::new($false))
        [Console]::WriteLine("Updated $file")
    }
}
