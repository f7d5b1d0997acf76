#pragma once
// Linux errno values, one to one: Errno::kEINVAL == 22 as in <asm-generic/errno-base.h>.
// The conversion to -errno happens in exactly one place: the syscall dispatcher.
// Values from 512 up are kernel-internal (the ERESTART* family) and never reach user space.
#include "kernel/lib/types.h"

namespace kernel {

// clang-format off
enum class Errno : i32 {
  kEPERM                   = 1,  // Operation not permitted
  kENOENT                  = 2,  // No such file or directory
  kESRCH                   = 3,  // No such process
  kEINTR                   = 4,  // Interrupted system call
  kEIO                     = 5,  // I/O error
  kENXIO                   = 6,  // No such device or address
  kE2BIG                   = 7,  // Argument list too long
  kENOEXEC                 = 8,  // Exec format error
  kEBADF                   = 9,  // Bad file number
  kECHILD                  = 10,  // No child processes
  kEAGAIN                  = 11,  // Try again
  kENOMEM                  = 12,  // Out of memory
  kEACCES                  = 13,  // Permission denied
  kEFAULT                  = 14,  // Bad address
  kENOTBLK                 = 15,  // Block device required
  kEBUSY                   = 16,  // Device or resource busy
  kEEXIST                  = 17,  // File exists
  kEXDEV                   = 18,  // Cross-device link
  kENODEV                  = 19,  // No such device
  kENOTDIR                 = 20,  // Not a directory
  kEISDIR                  = 21,  // Is a directory
  kEINVAL                  = 22,  // Invalid argument
  kENFILE                  = 23,  // File table overflow
  kEMFILE                  = 24,  // Too many open files
  kENOTTY                  = 25,  // Not a typewriter
  kETXTBSY                 = 26,  // Text file busy
  kEFBIG                   = 27,  // File too large
  kENOSPC                  = 28,  // No space left on device
  kESPIPE                  = 29,  // Illegal seek
  kEROFS                   = 30,  // Read-only file system
  kEMLINK                  = 31,  // Too many links
  kEPIPE                   = 32,  // Broken pipe
  kEDOM                    = 33,  // Math argument out of domain of func
  kERANGE                  = 34,  // Math result not representable
  kEDEADLK                 = 35,  // Resource deadlock would occur
  kENAMETOOLONG            = 36,  // File name too long
  kENOLCK                  = 37,  // No record locks available
  kENOSYS                  = 38,  // Invalid system call number
  kENOTEMPTY               = 39,  // Directory not empty
  kELOOP                   = 40,  // Too many symbolic links encountered
  kENOMSG                  = 42,  // No message of desired type
  kEIDRM                   = 43,  // Identifier removed
  kECHRNG                  = 44,  // Channel number out of range
  kEL2NSYNC                = 45,  // Level 2 not synchronized
  kEL3HLT                  = 46,  // Level 3 halted
  kEL3RST                  = 47,  // Level 3 reset
  kELNRNG                  = 48,  // Link number out of range
  kEUNATCH                 = 49,  // Protocol driver not attached
  kENOCSI                  = 50,  // No CSI structure available
  kEL2HLT                  = 51,  // Level 2 halted
  kEBADE                   = 52,  // Invalid exchange
  kEBADR                   = 53,  // Invalid request descriptor
  kEXFULL                  = 54,  // Exchange full
  kENOANO                  = 55,  // No anode
  kEBADRQC                 = 56,  // Invalid request code
  kEBADSLT                 = 57,  // Invalid slot
  kEBFONT                  = 59,  // Bad font file format
  kENOSTR                  = 60,  // Device not a stream
  kENODATA                 = 61,  // No data available
  kETIME                   = 62,  // Timer expired
  kENOSR                   = 63,  // Out of streams resources
  kENONET                  = 64,  // Machine is not on the network
  kENOPKG                  = 65,  // Package not installed
  kEREMOTE                 = 66,  // Object is remote
  kENOLINK                 = 67,  // Link has been severed
  kEADV                    = 68,  // Advertise error
  kESRMNT                  = 69,  // Srmount error
  kECOMM                   = 70,  // Communication error on send
  kEPROTO                  = 71,  // Protocol error
  kEMULTIHOP               = 72,  // Multihop attempted
  kEDOTDOT                 = 73,  // RFS specific error
  kEBADMSG                 = 74,  // Not a data message
  kEOVERFLOW               = 75,  // Value too large for defined data type
  kENOTUNIQ                = 76,  // Name not unique on network
  kEBADFD                  = 77,  // File descriptor in bad state
  kEREMCHG                 = 78,  // Remote address changed
  kELIBACC                 = 79,  // Can not access a needed shared library
  kELIBBAD                 = 80,  // Accessing a corrupted shared library
  kELIBSCN                 = 81,  // .lib section in a.out corrupted
  kELIBMAX                 = 82,  // Attempting to link in too many shared libraries
  kELIBEXEC                = 83,  // Cannot exec a shared library directly
  kEILSEQ                  = 84,  // Illegal byte sequence
  kERESTART                = 85,  // Interrupted system call should be restarted
  kESTRPIPE                = 86,  // Streams pipe error
  kEUSERS                  = 87,  // Too many users
  kENOTSOCK                = 88,  // Socket operation on non-socket
  kEDESTADDRREQ            = 89,  // Destination address required
  kEMSGSIZE                = 90,  // Message too long
  kEPROTOTYPE              = 91,  // Protocol wrong type for socket
  kENOPROTOOPT             = 92,  // Protocol not available
  kEPROTONOSUPPORT         = 93,  // Protocol not supported
  kESOCKTNOSUPPORT         = 94,  // Socket type not supported
  kEOPNOTSUPP              = 95,  // Operation not supported on transport endpoint
  kEPFNOSUPPORT            = 96,  // Protocol family not supported
  kEAFNOSUPPORT            = 97,  // Address family not supported by protocol
  kEADDRINUSE              = 98,  // Address already in use
  kEADDRNOTAVAIL           = 99,  // Cannot assign requested address
  kENETDOWN                = 100,  // Network is down
  kENETUNREACH             = 101,  // Network is unreachable
  kENETRESET               = 102,  // Network dropped connection because of reset
  kECONNABORTED            = 103,  // Software caused connection abort
  kECONNRESET              = 104,  // Connection reset by peer
  kENOBUFS                 = 105,  // No buffer space available
  kEISCONN                 = 106,  // Transport endpoint is already connected
  kENOTCONN                = 107,  // Transport endpoint is not connected
  kESHUTDOWN               = 108,  // Cannot send after transport endpoint shutdown
  kETOOMANYREFS            = 109,  // Too many references: cannot splice
  kETIMEDOUT               = 110,  // Connection timed out
  kECONNREFUSED            = 111,  // Connection refused
  kEHOSTDOWN               = 112,  // Host is down
  kEHOSTUNREACH            = 113,  // No route to host
  kEALREADY                = 114,  // Operation already in progress
  kEINPROGRESS             = 115,  // Operation now in progress
  kESTALE                  = 116,  // Stale file handle
  kEUCLEAN                 = 117,  // Structure needs cleaning
  kENOTNAM                 = 118,  // Not a XENIX named type file
  kENAVAIL                 = 119,  // No XENIX semaphores available
  kEISNAM                  = 120,  // Is a named type file
  kEREMOTEIO               = 121,  // Remote I/O error
  kEDQUOT                  = 122,  // Quota exceeded
  kENOMEDIUM               = 123,  // No medium found
  kEMEDIUMTYPE             = 124,  // Wrong medium type
  kECANCELED               = 125,  // Operation Canceled
  kENOKEY                  = 126,  // Required key not available
  kEKEYEXPIRED             = 127,  // Key has expired
  kEKEYREVOKED             = 128,  // Key has been revoked
  kEKEYREJECTED            = 129,  // Key was rejected by service
  kEOWNERDEAD              = 130,  // Owner died
  kENOTRECOVERABLE         = 131,  // State not recoverable
  kERFKILL                 = 132,  // Operation not possible due to RF-kill
  kEHWPOISON               = 133,  // Memory page has hardware error
  kERESTARTSYS             = 512,  // Kernel-internal: restart the system call if SA_RESTART
  kERESTARTNOINTR          = 513,  // Kernel-internal: always restart the system call
  kERESTARTNOHAND          = 514,  // Kernel-internal: restart if no handler ran
  kERESTART_RESTARTBLOCK   = 516,  // Kernel-internal: restart through restart_syscall
};
// clang-format on

/// EWOULDBLOCK is EAGAIN and EDEADLOCK is EDEADLK on x86_64, as in Linux.
inline constexpr Errno kEWOULDBLOCK = Errno::kEAGAIN;
inline constexpr Errno kENOTSUP = Errno::kEOPNOTSUPP;

constexpr i32 ToInt(Errno e) { return static_cast<i32>(e); }

/// "EINVAL" for Errno::kEINVAL; "E?" for a value not in the table. Used by traces and tests.
const char* ErrnoName(Errno e);

}  // namespace kernel
