using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using CodeLab.Compilation;
using CodeLab.Exercises;
using CodeLab.Load;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace CodeLab.Grading;

/// <summary>A load scenario compiled for the judge: the script's assembly and where it goes in the work folder.</summary>
public sealed record CompiledLoad(LoadCheck Check, string FileName, byte[] Assembly);
