# "No cmdlet ever prints a secret" (PRODUCT.md section 3), checked for every secret key source: Base64Url,
# hexadecimal, a SecureString passphrase, KeyBytes, an oct JwkJson, and PEM private keys (RSA, EC, Ed25519;
# the PEM body must not appear). Each source goes through every cmdlet that takes or holds a key (signing,
# building, copying, renewing, validation parameters from the result and from the key, detailed validation,
# inspection, encryption and decryption, bearer schemes), with -Verbose -Debug and all six streams merged
# into the output; then through calls that fail with the secret as an argument. Every output object is
# walked (ToString, every property of the module's types, recursively, collections and dictionaries,
# Describe() and Token()) and rendered as PowerShell shows it (its default view and Format-List *), and
# every error record (message, TargetObject, CategoryInfo, ErrorDetails, the exception chain with its Data). A secret is recognised in any of the texts that carry it (as given, hex,
# base64, base64url; for PEM every body line and the joined body; for private keys their private number as
# base64url): any 16-character window of one found in any text is a leak.
#
# Add-KrJWTBearerAuthentication runs with -Verbose and $DebugPreference = 'Continue' rather than -Debug: on a
# compiled cmdlet, -Debug makes PowerShell ask before showing a warning (its "scheme replaced" warning), a
# prompt that fails in a non-interactive session.
#
# Not checked: ErrorRecord.InvocationInfo. PowerShell itself records the bound parameters of the failing
# command there (InvocationInfo.BoundParameters holds a -HexadecimalKey string as given, for any cmdlet);
# the module cannot change that, and only a SecureString (-Passphrase) or a file (-PemPath, -JwkPath) keeps
# a secret out of it.

Describe 'Secrets never appear in output, streams or errors' {
    BeforeAll {
        . ([System.IO.Path]::Combine($PSScriptRoot, 'KeyHelpers.ps1'))

        $script:Window = 16

        # The texts a byte secret travels as.
        function Get-ByteForms {
            param([byte[]] $Bytes)
            $hex = [Convert]::ToHexString($Bytes)
            @($hex.ToLowerInvariant(), $hex, [Convert]::ToBase64String($Bytes), (ConvertTo-TestBase64Url $Bytes))
        }

        # The texts a PEM private key travels as: its body lines, the joined body, and its private number.
        function Get-PemForms {
            param([string] $Pem, [byte[]] $PrivateNumber)
            $lines = @($Pem -split "`r?`n" | Where-Object { $_ -and -not $_.StartsWith('-----') })
            @($lines) + @($lines -join '') + @(Get-ByteForms $PrivateNumber)
        }

        $secretBytes = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes(64)
        $b64 = ConvertTo-TestBase64Url $secretBytes
        $hex = [Convert]::ToHexString($secretBytes).ToLowerInvariant()
        # A 64-character passphrase (its UTF-8 bytes are the secret).
        $passphraseText = [Convert]::ToBase64String([System.Security.Cryptography.RandomNumberGenerator]::GetBytes(48))
        $passphrase = ConvertTo-SecureString $passphraseText -AsPlainText -Force
        $octJwk = "{`"kty`":`"oct`",`"k`":`"$b64`"}"
        $rsa = [System.Security.Cryptography.RSA]::Create(2048)
        $rsaPem = $rsa.ExportPkcs8PrivateKeyPem()
        $ec = New-TestEcKey -Curve 'P-256'
        $ecPem = $ec.ExportPkcs8PrivateKeyPem()
        $edBytes = [System.Security.Cryptography.RandomNumberGenerator]::GetBytes(32)
        $edPem = New-TestOkpPem -Curve Ed25519 -PrivateBytes $edBytes
        $damage = { param($pem) $lines = $pem -split "`n"; $lines[2] = -join $lines[2].ToCharArray()[($lines[2].Length - 1)..0]; $lines -join "`n" }

        # The failing calls below are script blocks run later, in the It: they find these by name.
        $script:Material = @{ b64 = $b64; hex = $hex; passphrase = $passphrase; octJwk = $octJwk; secretBytes = $secretBytes
            rsaPem = $rsaPem; ecPem = $ecPem; edPem = $edPem; damage = $damage }

        # A source given as -$Parameter to sign, verify, encrypt and read a token, as -Decryption$Parameter to
        # decrypt and as -$Bearer to Add-KrJWTBearerAuthentication; -SignOnly for keys that cannot encrypt,
        # -NoInfo and no -Bearer where those cmdlets do not take it.
        function New-KeySource {
            param([string] $Parameter, $Key, [string[]] $Forms, [string] $Bearer, [scriptblock[]] $Failing, [switch] $SignOnly, [switch] $NoInfo)
            @{
                Forms = $Forms
                Sign = @{ $Parameter = $Key }; Verify = @{ $Parameter = $Key }
                Encrypt = if (-not $SignOnly) { @{ $Parameter = $Key } }
                Decrypt = if (-not $SignOnly) { @{ "Decryption$Parameter" = $Key } }
                Info = if (-not ($SignOnly -or $NoInfo)) { @{ $Parameter = $Key } }
                Bearer = if ($Bearer) { @{ $Bearer = $Key } }
                Failing = $Failing
            }
        }

        # For each source: how to sign with it, verify with it, encrypt and decrypt with it, read a token
        # with it, and calls that must fail while holding it.
        $script:Sources = @{
            Base64Url = New-KeySource Base64Url $b64 -Forms (@($b64) + (Get-ByteForms $secretBytes)) -Bearer SigningKeyBase64Url -Failing @(
                { New-KrJWTBuilder | Protect-KrJWT -Base64Url "$b64!" }
                { New-KrJWTBuilder | Protect-KrJWT -Base64Url $b64 -Algorithm RS256 }
                { Get-KrJWTValidationParameter -Base64Url "$b64!" }
                { New-KrJWTBuilder | Protect-KrJWTPayload -Base64Url $b64 -KeyAlg A128KW }
                { Add-KrJWTBearerAuthentication -Name 'secrets-failing' -SigningKeyBase64Url "$b64!" }
                { New-KrJWTBuilder | Protect-KrJWT -PemPath $b64 }
                { Get-KrJWTValidationParameter -JwkPath $b64 }
            )
            HexadecimalKey = New-KeySource HexadecimalKey $hex -Forms (Get-ByteForms $secretBytes) -Bearer SigningKeyHexadecimal -Failing @(
                { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey "${hex}zz" }
                { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey "${hex}0" }
                { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey $hex -Algorithm ES256 }
                { Get-KrJWTValidationParameter -HexadecimalKey "${hex}zz" }
                { New-KrJWTBuilder | Protect-KrJWTPayload -HexadecimalKey $hex -KeyAlg A256KW }
                { Get-KrJWTInfo -Token 'a.b.c.d.e' -HexadecimalKey $hex }
                { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey "0x$hex" }
                { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey (($hex -split '(..)' | Where-Object { $_ }) -join ':') }
                { New-KrJWTBuilder | Protect-KrJWT -HexadecimalKey "$($hex.Substring(0, 60))+f" }
                { New-KrJWTBuilder | Protect-KrJWT -PemPath $hex }
                { Get-KrJWTValidationParameter -HexadecimalKey $hex -DecryptionPemPath $hex }
                { Get-KrJWTInfo -Token 'a.b.c' -PemPath $hex }
                { Add-KrJWTBearerAuthentication -Name 'secrets-failing' -SigningKeyPemPath $hex }
            )
            Passphrase = New-KeySource Passphrase $passphrase -NoInfo -Forms (@($passphraseText) + (Get-ByteForms ([System.Text.Encoding]::UTF8.GetBytes($passphraseText)))) -Failing @(
                { New-KrJWTBuilder | Protect-KrJWT -Passphrase $passphrase -Algorithm PS256 }
                { New-KrJWTBuilder | Protect-KrJWTPayload -Passphrase $passphrase -KeyAlg A128GCMKW }
            )
            KeyBytes = New-KeySource KeyBytes $secretBytes -Forms (Get-ByteForms $secretBytes) -Failing @(
                { New-KrJWTBuilder | Protect-KrJWT -KeyBytes $secretBytes -Algorithm EdDSA }
                { New-KrJWTBuilder | Protect-KrJWT -KeyBytes ([byte[]]$secretBytes[0..19]) -Algorithm HS256 }
                { New-KrJWTBuilder | Protect-KrJWTPayload -KeyBytes $secretBytes -KeyAlg RSA-OAEP }
            )
            JwkJson = New-KeySource JwkJson $octJwk -Forms (@($b64) + (Get-ByteForms $secretBytes)) -Bearer SigningKeyJwkJson -Failing @(
                { New-KrJWTBuilder | Protect-KrJWT -JwkJson $octJwk.Replace('"}', '!"}') }
                { New-KrJWTBuilder | Protect-KrJWT -JwkJson $octJwk.TrimEnd('}') }
                { New-KrJWTBuilder | Protect-KrJWT -JwkJson $octJwk.Replace('"oct"', '"OCT"') }
                { New-KrJWTBuilder | Protect-KrJWT -JwkJson $octJwk -Algorithm RS256 }
                { Get-KrJWTValidationParameter -JwkJson $octJwk.TrimEnd('}') }
                { Get-KrJwkThumbprint -JwkJson $octJwk.TrimEnd('}') }
                { $octJwk | New-KrJwks }
                { New-KrJwks -InputObject @{ kty = 'oct'; k = $b64 } }
                { Add-KrJWTBearerAuthentication -Name 'secrets-failing' -SigningKeyJwkJson $octJwk.TrimEnd('}') }
                { New-KrJWTBuilder | Protect-KrJWT -JwkPath $octJwk }
                { Get-KrJWTValidationParameter -JwksPath "{`"keys`":[$octJwk]}" }
                { Get-KrJWTValidationParameter -Base64Url $b64 -DecryptionJwkPath $octJwk }
                { New-KrJWTBuilder | Protect-KrJWTPayload -JwkPath $octJwk }
                { New-KrJWTBuilder | Protect-KrJWT -JwkJson $octJwk.Replace('{', '{"k":"AAAA",') }
                { New-KrJWTBuilder | Protect-KrJWT -JwkJson $octJwk.Replace('}', ',"key_ops":["verify"]}') }
                { New-KrJWTBuilder | Protect-KrJWT -JwkJson $octJwk.Replace('}', ',"key_ops":["sign","sign"]}') }
                { Get-KrJWTValidationParameter -JwksJson "{`"keys`":[$($octJwk.Replace('}', ',"kid":"a"}')),$($octJwk.Replace('}', ',"kid":"a"}'))]}" }
                { Get-KrJWTValidationParameter -JwksJson "{`"keys`":[$octJwk,{`"kty`":`"EC`",`"crv`":`"P-256`",`"x`":`"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU`",`"y`":`"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0`"}]}" }
                { Get-KrJWTValidationParameter -JwksJson "{`"keys`":[$($octJwk.Replace('{', '{"kty":"oct",'))]}" }
            )
            'RSA PEM' = New-KeySource Pem $rsaPem -Forms (Get-PemForms $rsaPem $rsa.ExportParameters($true).D) -Bearer SigningKeyPem -Failing @(
                { New-KrJWTBuilder | Protect-KrJWT -Pem (& $damage $rsaPem) }
                { New-KrJWTBuilder | Protect-KrJWT -Pem $rsaPem -Algorithm HS256 }
                { New-KrJWTBuilder | Protect-KrJWTPayload -Pem $rsaPem -KeyAlg dir }
                { Get-KrJWTValidationParameter -Pem (& $damage $rsaPem) }
                { Get-KrJwk -Pem (& $damage $rsaPem) }
                { $rsaPem | New-KrJwks }
                { Add-KrJWTBearerAuthentication -Name 'secrets-failing' -SigningKeyPem (& $damage $rsaPem) }
                { New-KrJWTBuilder | Protect-KrJWT -PemPath $rsaPem }
                { Get-KrJWTValidationParameter -PemPath $rsaPem }
                { Get-KrJWTValidationParameter -HexadecimalKey (New-TestHexKey 32) -DecryptionPemPath $rsaPem }
                { Get-KrJWTInfo -Token 'a.b.c.d.e' -PemPath $rsaPem }
                { Get-KrJwk -PemPath $rsaPem }
                { New-KrJWTBuilder | Protect-KrJWTPayload -PemPath $rsaPem }
                { Add-KrJWTBearerAuthentication -Name 'secrets-failing' -SigningKeyPemPath $rsaPem }
            )
            'EC PEM' = New-KeySource Pem $ecPem -Forms (Get-PemForms $ecPem $ec.ExportParameters($true).D) -Bearer SigningKeyPem -Failing @(
                { New-KrJWTBuilder | Protect-KrJWT -Pem (& $damage $ecPem) }
                { New-KrJWTBuilder | Protect-KrJWT -Pem $ecPem -Algorithm ES384 }
                { New-KrJWTBuilder | Protect-KrJWTPayload -Pem $ecPem -KeyAlg RSA-OAEP }
                { $ecPem | New-KrJwks }
                { New-KrJWTBuilder | Protect-KrJWT -PemPath $ecPem }
                { Get-KrJWTValidationParameter -HexadecimalKey (New-TestHexKey 32) -DecryptionPemPath $ecPem }
            )
            'Ed25519 PEM' = New-KeySource Pem $edPem -SignOnly -Forms (Get-PemForms $edPem $edBytes) -Bearer SigningKeyPem -Failing @(
                { New-KrJWTBuilder | Protect-KrJWT -Pem (& $damage $edPem) }
                { New-KrJWTBuilder | Protect-KrJWT -Pem $edPem -Algorithm RS256 }
                { New-KrJWTBuilder | Protect-KrJWTPayload -Pem $edPem }
                { $edPem | New-KrJwks }
                { New-KrJWTBuilder | Protect-KrJWT -PemPath $edPem }
                { Get-KrJwk -PemPath $edPem }
            )
        }
        # The caller's key array, to check that no output holds it and that it is neither kept nor changed.
        $script:Sources.KeyBytes.Bytes = $secretBytes

        # Every text an object shows: ToString, and for the module's types, records, exceptions and
        # collections, their parts, recursively.
        function Get-ShownText {
            param($Value, [int] $Depth = 0, [System.Collections.Generic.HashSet[object]] $Seen)
            if ($null -eq $Value -or $Depth -gt 8) { return }
            if ($null -eq $Seen) { $Seen = [System.Collections.Generic.HashSet[object]]::new([System.Collections.Generic.ReferenceEqualityComparer]::Instance) }
            # Unwrap PSObject wrappers (but keep [pscustomobject]s, whose properties are the wrapper's).
            $base = $Value.psobject.BaseObject
            if ($base -isnot [System.Management.Automation.PSCustomObject]) { $Value = $base }
            if ($null -eq $Value) { return }
            if ($Value -is [string]) { return $Value }
            if ($Value -is [byte[]]) { return [Convert]::ToBase64String($Value), [Convert]::ToHexString($Value), (ConvertTo-TestBase64Url $Value) }
            if ($Value -is [ValueType] -or $Value -is [System.Security.SecureString] -or $Value -is [type]) { return "$Value" }
            if (-not $Seen.Add($Value)) { return }
            $next = $Depth + 1
            try { $Value.ToString() } catch { }
            if ($Value -is [System.Management.Automation.ErrorRecord]) {
                Get-ShownText $Value.Exception $next $Seen
                Get-ShownText $Value.TargetObject $next $Seen
                $Value.CategoryInfo.ToString(); $Value.CategoryInfo.TargetName; $Value.CategoryInfo.Reason
                if ($Value.ErrorDetails) { $Value.ErrorDetails.Message; $Value.ErrorDetails.RecommendedAction }
                $Value.FullyQualifiedErrorId
                return
            }
            if ($Value -is [Exception]) {
                $Value.Message
                foreach ($k in $Value.Data.Keys) { Get-ShownText $k $next $Seen; Get-ShownText $Value.Data[$k] $next $Seen }
                if ($Value -is [System.Management.Automation.IContainsErrorRecord]) { Get-ShownText $Value.ErrorRecord $next $Seen }
                Get-ShownText $Value.InnerException $next $Seen
                return
            }
            if ($Value -is [System.Management.Automation.InformationalRecord]) { $Value.Message; return }
            if ($Value -is [System.Management.Automation.InformationRecord]) { Get-ShownText $Value.MessageData $next $Seen; return }
            if ($Value -is [System.Collections.IDictionary]) {
                foreach ($k in $Value.Keys) { Get-ShownText $k $next $Seen; Get-ShownText $Value[$k] $next $Seen }
            } elseif ($Value -is [System.Collections.IEnumerable]) {
                foreach ($item in $Value) { Get-ShownText $item $next $Seen }
            }
            $type = $Value.GetType()
            if ($type.Namespace -like 'KrJwt*' -or $Value -is [System.Management.Automation.PSCustomObject]) {
                foreach ($property in $Value.PSObject.Properties) {
                    if (-not $property.IsGettable) { continue }
                    $v = $null
                    try { $v = $property.Value } catch { continue }
                    Get-ShownText $v $next $Seen
                }
                foreach ($method in 'Describe', 'Token') {
                    if ($type.GetMethod($method, [type[]]@())) { try { $Value.$method() } catch { } }
                }
            }
        }

        # Throws when any shown text holds a window of any of the secret's forms.
        function Assert-NoSecret {
            param($Value, [string[]] $Forms, [string] $What)
            $texts = @(Get-ShownText $Value | Where-Object { $_ })
            foreach ($form in $Forms) {
                $starts = [System.Collections.Generic.List[int]]::new()
                for ($i = 0; $i + $script:Window -le $form.Length; $i += $script:Window) { $starts.Add($i) }
                $starts.Add($form.Length - $script:Window)
                foreach ($text in $texts) {
                    foreach ($start in $starts) {
                        if ($text.Contains($form.Substring($start, $script:Window))) {
                            $shown = if ($text.Length -gt 300) { $text.Substring(0, 300) + '...' } else { $text }
                            throw "${What}: shows the secret ($($form.Length)-character form, at $start): $shown"
                        }
                    }
                }
            }
        }

        # Runs a block with -Verbose and -Debug in effect and every stream merged into the output.
        function Invoke-Observed {
            param([scriptblock] $Block)
            $VerbosePreference = 'Continue'
            $DebugPreference = 'Continue'
            $InformationPreference = 'Continue'
            $WarningPreference = 'Continue'
            & $Block *>&1
        }

        # The error record of a block that must fail (terminating or not), with its streams.
        function Get-Failure {
            param([scriptblock] $Block)
            $records = [System.Collections.Generic.List[object]]::new()
            try {
                $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
                foreach ($record in (& $Block *>&1)) { $records.Add($record) }
            } catch {
                $records.Add($_)
            }
            , $records
        }

        function Get-LastOfType {
            param($Items, [type] $Type)
            $found = $null
            foreach ($item in $Items) { if ($item -is $Type) { $found = $item } }
            $found
        }
    }

    It 'the check finds a secret wherever an object, a record or an error could show it (control)' {
        $forms = $script:Sources['HexadecimalKey'].Forms
        $hex = $forms[0]
        $planted = [ordered]@{
            'a string' = "key=$hex"
            'a nested property' = [pscustomobject]@{ Outer = [pscustomobject]@{ Inner = @('x', @{ deep = $hex.ToUpperInvariant() }) } }
            'a verbose record' = [System.Management.Automation.VerboseRecord]::new("using $hex")
            'an error target' = [System.Management.Automation.ErrorRecord]::new([Exception]::new('failed'), 'Id', 'InvalidArgument', "{`"k`":`"$($forms[3])`"}")
            'an inner exception' = [System.Management.Automation.ErrorRecord]::new([Exception]::new('outer', [Exception]::new("inner $($forms[2])")), 'Id', 'InvalidArgument', $null)
            'exception data' = & { $e = [Exception]::new('failed'); $e.Data['key'] = $hex; [System.Management.Automation.ErrorRecord]::new($e, 'Id', 'InvalidArgument', $null) }
            'key bytes' = , [byte[]]$script:Sources['KeyBytes'].Bytes
        }
        foreach ($what in $planted.Keys) {
            { Assert-NoSecret $planted[$what] $script:Sources['KeyBytes'].Forms $what } | Should -Throw -ExpectedMessage '*shows the secret*' -Because "the secret in $what must be found"
        }
        { Assert-NoSecret ([pscustomobject]@{ Token = 'eyJhbGciOiJIUzI1NiJ9.e30.x'; Kid = 'abc' }) $forms 'clean' } | Should -Not -Throw
    }

    It '<Source>: never in cmdlet output, properties, streams or the string forms of builders, results and parameters' -TestCases @(
        @{ Source = 'Base64Url' }, @{ Source = 'HexadecimalKey' }, @{ Source = 'Passphrase' }, @{ Source = 'KeyBytes' },
        @{ Source = 'JwkJson' }, @{ Source = 'RSA PEM' }, @{ Source = 'EC PEM' }, @{ Source = 'Ed25519 PEM' }
    ) {
        $s = $script:Sources[$Source]
        $sign = $s.Sign; $verify = $s.Verify
        $seen = [System.Collections.Generic.List[object]]::new()
        $observe = { param($what, $value) $seen.Add([pscustomobject]@{ What = $what; Value = $value }) }

        $out = Invoke-Observed { New-KrJWTBuilder -Verbose -Debug | Add-KrJWTIssuer -Issuer 'secrets' | Add-KrJWTAudience -Audience 'tests' | Protect-KrJWT @sign -Verbose -Debug }
        & $observe 'Protect-KrJWT' $out
        $builder = Get-LastOfType $out ([KrJwt.JwtTokenBuilder])
        $builder | Should -Not -BeNullOrEmpty
        $out = Invoke-Observed { $builder | Build-KrJWT -Verbose -Debug }
        & $observe 'Build-KrJWT' $out
        $result = Get-LastOfType $out ([KrJwt.JwtBuilderResult])
        $token = $result.Token
        & $observe 'Get-KrJWTToken' (Invoke-Observed { $result | Get-KrJWTToken -Verbose -Debug })
        & $observe 'Copy-KrJWTTokenBuilder' (Invoke-Observed { $builder | Copy-KrJWTTokenBuilder -Verbose -Debug })
        $out = Invoke-Observed { $result | Get-KrJWTValidationParameter -Verbose -Debug }
        & $observe 'Get-KrJWTValidationParameter (result)' $out
        $out = Invoke-Observed { Get-KrJWTValidationParameter @verify -Issuer 'secrets' -Audience 'tests' -Verbose -Debug }
        & $observe 'Get-KrJWTValidationParameter (key)' $out
        $vp = Get-LastOfType $out ([KrJwt.JwtValidationParameters])
        $vp | Should -Not -BeNullOrEmpty
        $out = Invoke-Observed { Test-KrJWT -ValidationParameter $vp -Token $token -Detailed -Verbose -Debug }
        (Get-LastOfType $out ([KrJwt.JwtValidationReport])).IsValid | Should -BeTrue
        & $observe 'Test-KrJWT -Detailed (valid)' $out
        & $observe 'Test-KrJWT -Detailed (forged)' (Invoke-Observed { Test-KrJWT -Result $result -Token ($token.Substring(0, $token.Length - 2) + 'AA') -Detailed -Verbose -Debug })
        & $observe 'Update-KrJWT' (Invoke-Observed { Update-KrJWT -Builder $builder -Token $token -Verbose -Debug })
        & $observe 'Get-KrJWTInfo' (Invoke-Observed { $token | Get-KrJWTInfo -Verbose -Debug })
        & $observe 'Get-KrJWTInfo -Result' (Invoke-Observed { Get-KrJWTInfo -Token $token -Result $result -Verbose -Debug })
        if ($Source -like '*PEM') {
            & $observe 'Get-KrJwk' (Invoke-Observed { $builder | Get-KrJwk -Verbose -Debug })
            & $observe 'New-KrJwks' (Invoke-Observed { $builder, $result | New-KrJwks -Verbose -Debug })
        }
        try {
            if ($s.Bearer) {
                $bearer = $s.Bearer
                & $observe 'Add-KrJWTBearerAuthentication (key)' (Invoke-Observed { Add-KrJWTBearerAuthentication -Name "secrets-$Source" @bearer -PassThru -Verbose })
            }
            & $observe 'Add-KrJWTBearerAuthentication (parameters)' (Invoke-Observed { Add-KrJWTBearerAuthentication -Name "secrets-$Source" -ValidationParameter $vp -PassThru -Verbose })
            $Context = [pscustomobject]@{ Request = [pscustomobject]@{ Headers = @{ Authorization = "Bearer $($token)x" } } }
            & $observe 'Test-KrJWT -FromContext' (Invoke-Observed { Test-KrJWT -FromContext -Scheme "secrets-$Source" -Detailed -Verbose -Debug })
        } finally {
            $null = [KrJwt.JwtBearerSchemes]::Remove("secrets-$Source")
        }

        if ($s.Encrypt) {
            $encrypt = $s.Encrypt; $decrypt = $s.Decrypt
            $signing = New-TestHexKey 32
            # Issuer and audience given: with -Debug, PowerShell turns the warnings about unchecked ones into prompts.
            $out = Invoke-Observed { New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'secrets' | Add-KrJWTAudience -Audience 'tests' | Protect-KrJWT -HexadecimalKey $signing | Protect-KrJWTPayload @encrypt -Verbose -Debug }
            & $observe 'Protect-KrJWTPayload' $out
            $encrypting = Get-LastOfType $out ([KrJwt.JwtTokenBuilder])
            $sealed = $encrypting | Build-KrJWT
            & $observe 'Build-KrJWT (encrypted)' $sealed
            $out = Invoke-Observed { Get-KrJWTValidationParameter -HexadecimalKey $signing -Issuer 'secrets' -Audience 'tests' @decrypt -Verbose -Debug }
            & $observe 'Get-KrJWTValidationParameter (decryption key)' $out
            $decrypting = Get-LastOfType $out ([KrJwt.JwtValidationParameters])
            (Test-KrJWT -ValidationParameter $decrypting -Token $sealed.Token) | Should -BeTrue
            & $observe 'Test-KrJWT (encrypted)' (Invoke-Observed { Test-KrJWT -ValidationParameter $decrypting -Token $sealed.Token -Detailed -Verbose -Debug })
            & $observe 'Get-KrJWTValidationParameter (encrypted result)' (Invoke-Observed { $sealed | Get-KrJWTValidationParameter -Verbose -Debug })
            & $observe 'Update-KrJWT (encrypted)' (Invoke-Observed { Update-KrJWT -Builder $encrypting -Token $sealed.Token -Verbose -Debug })
            & $observe 'Get-KrJWTInfo -ValidationParameter' (Invoke-Observed { Get-KrJWTInfo -Token $sealed.Token -ValidationParameter $decrypting -Verbose -Debug })
            if ($s.Info) {
                $info = $s.Info
                & $observe 'Get-KrJWTInfo (decryption key)' (Invoke-Observed { Get-KrJWTInfo -Token $sealed.Token @info -Verbose -Debug })
            }
        }

        foreach ($item in $seen) {
            Assert-NoSecret $item.Value $s.Forms "$Source, $($item.What)"
            $rendered = @($item.Value | Out-String -Width 4096) + @($item.Value | Format-List * | Out-String -Width 4096)
            Assert-NoSecret $rendered $s.Forms "$Source, $($item.What) (formatted)"
            if ($s.Bytes) {
                foreach ($value in @($item.Value)) {
                    if ($value -is [byte[]] -and [Convert]::ToHexString($value).Contains([Convert]::ToHexString($s.Bytes))) { throw "$Source, $($item.What): output holds the key bytes" }
                }
            }
        }
        # The caller's byte array is neither kept nor changed.
        if ($s.Bytes) { [Convert]::ToHexString($s.Sign.KeyBytes) | Should -BeExactly ([Convert]::ToHexString($s.Bytes)) }
    }

    It '<Source>: never in the error records of failing calls that hold it (message, target, category, exception chain)' -TestCases @(
        @{ Source = 'Base64Url' }, @{ Source = 'HexadecimalKey' }, @{ Source = 'Passphrase' }, @{ Source = 'KeyBytes' },
        @{ Source = 'JwkJson' }, @{ Source = 'RSA PEM' }, @{ Source = 'EC PEM' }, @{ Source = 'Ed25519 PEM' }
    ) {
        $s = $script:Sources[$Source]
        foreach ($name in $script:Material.Keys) { $ExecutionContext.SessionState.PSVariable.Set($name, $script:Material[$name]) }
        $problems = foreach ($block in $s.Failing) {
            try {
                $records = Get-Failure $block
                $errors = @($records | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] })
                if ($errors.Count -eq 0) { "{$block}: no error record" }
                foreach ($e in $errors) {
                    if ($e.FullyQualifiedErrorId -notlike 'KrJwt.*') { "{$block}: the error is not the module's own: $($e.FullyQualifiedErrorId): $($e.Exception.Message)" }
                }
                Assert-NoSecret $records $s.Forms "{$block}"
            } catch {
                $_.Exception.Message
            }
        }
        $problems | Should -BeNullOrEmpty
    }

    It 'a *Path parameter given key material names what it looks like and the parameter to use, and never shows it' -TestCases @(
        @{ Call = { New-KrJWTBuilder | Protect-KrJWT -PemPath $rsaPem }; Looks = 'PEM text'; Parameter = '-PemPath'; Instead = '-Pem' }
        @{ Call = { Get-KrJWTValidationParameter -PemPath $rsaPem }; Looks = 'PEM text'; Parameter = '-PemPath'; Instead = '-Pem' }
        @{ Call = { New-KrJWTBuilder | Protect-KrJWT -JwkPath $octJwk }; Looks = 'JSON text'; Parameter = '-JwkPath'; Instead = '-JwkJson' }
        @{ Call = { Get-KrJWTValidationParameter -JwksPath "{`"keys`":[$octJwk]}" }; Looks = 'JSON text'; Parameter = '-JwksPath'; Instead = '-JwksJson' }
        @{ Call = { Get-KrJWTValidationParameter -HexadecimalKey $hex -DecryptionPemPath $rsaPem }; Looks = 'PEM text'; Parameter = '-DecryptionPemPath'; Instead = '-DecryptionPem' }
        @{ Call = { Get-KrJWTValidationParameter -HexadecimalKey $hex -DecryptionJwkPath $octJwk }; Looks = 'JSON text'; Parameter = '-DecryptionJwkPath'; Instead = '-DecryptionJwkJson' }
        @{ Call = { Add-KrJWTBearerAuthentication -Name 'secrets-path' -SigningKeyPemPath $rsaPem }; Looks = 'PEM text'; Parameter = '-PemPath'; Instead = '-Pem' }
        @{ Call = { New-KrJWTBuilder | Protect-KrJWT -PemPath $hex }; Looks = 'hexadecimal key text'; Parameter = '-PemPath'; Instead = '-Pem' }
        @{ Call = { New-KrJWTBuilder | Protect-KrJWT -PemPath $b64 }; Looks = 'base64 text'; Parameter = '-PemPath'; Instead = '-Pem' }
    ) {
        foreach ($name in $script:Material.Keys) { $ExecutionContext.SessionState.PSVariable.Set($name, $script:Material[$name]) }
        $failure = Get-LastOfType (Get-Failure $Call) ([System.Management.Automation.ErrorRecord])
        $failure | Should -Not -BeNullOrEmpty
        $failure.FullyQualifiedErrorId | Should -BeLike 'KrJwt.InvalidArgument*'
        $failure.Exception.Message | Should -BeLike "*$Parameter looks like $Looks*"
        $failure.Exception.Message | Should -BeLike "*or pass the text itself with $Instead.*"
        $forms = $script:Sources['RSA PEM'].Forms + $script:Sources['JwkJson'].Forms + $script:Sources['HexadecimalKey'].Forms
        Assert-NoSecret $failure $forms "{$Call}"
    }

    It 'error records never hold a whole token as their target (TargetObject, CategoryInfo)' {
        $hex = New-TestHexKey 32
        $result = New-KrJWTBuilder | Add-KrJWTIssuer -Issuer 'secrets' | Protect-KrJWT -HexadecimalKey $hex | Build-KrJWT
        $token = $result.Token
        $records = [System.Collections.Generic.List[object]]::new()
        $null = Get-KrJWTInfo -Token "$token.x.y" -ErrorAction SilentlyContinue -ErrorVariable +infoErrors
        $records.AddRange(@($infoErrors))
        foreach ($block in { Get-KrJWTInfo -Token "$token.x.y" -HexadecimalKey "${hex}zz" }, { Get-KrJwk -Result $result }) {
            $records.Add((Get-LastOfType (Get-Failure $block) ([System.Management.Automation.ErrorRecord])))
        }
        $records.Count | Should -Be 3
        foreach ($record in $records) {
            $record | Should -Not -BeNullOrEmpty
            $shown = @(Get-ShownText $record.TargetObject) + $record.CategoryInfo.ToString() + $record.CategoryInfo.TargetName
            foreach ($text in $shown) { $text | Should -Not -BeLike "*$token*" -Because "$($record.FullyQualifiedErrorId) shows the whole token" }
        }
        $records[0].TargetObject | Should -BeLike "token $($token.Substring(0, 12))... (* characters)"
    }
}

