/* Types the OE-style system EDLs use, declared so that the generated code compiles. */
#ifndef OE_LIKE_SYSCALL_TYPES_H
#define OE_LIKE_SYSCALL_TYPES_H
#include <stddef.h>
#include <stdint.h>
typedef int64_t oe_host_fd_t;
typedef int64_t oe_off_t;
typedef uint32_t oe_mode_t;
typedef uint32_t oe_socklen_t;
typedef uint16_t oe_sa_family_t;
typedef int64_t oe_ssize_t;
typedef uint64_t oe_dev_t;
typedef uint64_t oe_ino_t;
typedef uint64_t oe_nlink_t;
typedef uint32_t oe_uid_t;
typedef uint32_t oe_gid_t;
typedef int64_t oe_blksize_t;
typedef int64_t oe_blkcnt_t;
typedef int64_t oe_time_t;
typedef int64_t oe_suseconds_t;
typedef uint32_t oe_result_t;
typedef uint64_t oe_nfds_t;
#define OE_NAME_SIZE 256
struct oe_timespec_like { oe_time_t tv_sec; long tv_nsec; };
struct oe_pollfd_like { oe_host_fd_t fd; short events; short revents; };
#endif
