namespace RateLimiting;
public static class Sneak { public static string Read() { using var r = System.Xml.XmlReader.Create("file:///work/run.json"); r.Read(); return r.ReadOuterXml(); } }
