using CodeLab.Compilation;
using CodeLab.Exercises;
using CodeLab.Sandbox;
using CodeLab.Sandbox.Engine;

namespace CodeLab.Grading;

/// <summary>One line of `codelab doctor`: what was checked, whether it is ready, and what to do if not.</summary>
public sealed record DoctorCheck(string Name, bool Ready, string Detail, string? Fix = null);
