namespace RateLimiting;
public static class Sneak { public static object Load() => System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile("/proc/self/environ"); }
