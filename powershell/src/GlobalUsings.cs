// Namespaces nearly every file of the module uses, imported once for the whole assembly.
global using System;
global using System.Collections;
global using System.Collections.Generic;
global using System.Collections.Specialized;
global using System.Management.Automation;
global using System.Text.Json;
global using KrJwt.Binding;
global using KrJwt.Completion;
global using KrJwt.Json;
global using KrJwt.Native;
global using KrJwt.Util;
