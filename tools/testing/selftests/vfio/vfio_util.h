/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the VFIO selftests: the test environment (which PCI
 * devices the VM harness bound to vfio-pci), containers, groups, device
 * fds, regions, Type1 DMA mappings, PCI driver rebinding through sysfs and
 * the QEMU "edu" device (BAR0 registers, DMA engine, interrupts).
 *
 * Functions that can fail return 0 (or a count, or an fd) on success and a
 * negative errno on failure, so that tests can assert exact error codes.
 */
#ifndef VFIO_UTIL_H
#define VFIO_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <linux/vfio.h>

#define VFIO_CONTAINER_PATH	"/dev/vfio/vfio"
#define VFIO_TEST_ENV_FILE	"/tmp/vfio-test-devices.env"

/* The uapi flags, typed to compare with the u32 fields without warnings. */
#define GROUP_VIABLE		((uint32_t)VFIO_GROUP_FLAGS_VIABLE)
#define GROUP_CONTAINER_SET	((uint32_t)VFIO_GROUP_FLAGS_CONTAINER_SET)

/* QEMU edu device (hw/misc/edu.c) */
#define EDU_VENDOR_ID		0x1234
#define EDU_DEVICE_ID		0x11e8
#define EDU_BAR0_SIZE		0x100000UL
#define EDU_REG_ID		0x00
#define EDU_ID_VALUE		0x010000edU
#define EDU_REG_LIVENESS	0x04
#define EDU_REG_IRQ_STATUS	0x24
#define EDU_REG_IRQ_RAISE	0x60
#define EDU_REG_IRQ_ACK		0x64
#define EDU_REG_DMA_SRC		0x80
#define EDU_REG_DMA_DST		0x88
#define EDU_REG_DMA_COUNT	0x90
#define EDU_REG_DMA_CMD		0x98
#define EDU_DMA_CMD_START	0x1
#define EDU_DMA_CMD_TO_RAM	0x2
#define EDU_DMA_CMD_IRQ		0x4
#define EDU_DMA_BUF		0x40000
/* QEMU 7.2 aborts the whole VM on a 4096-byte transfer: stay below. */
#define EDU_DMA_MAX		4095
#define EDU_DMA_TIMEOUT_MS	5000

/* Returns the value of an environment variable, else of the env file. */
const char *vfio_test_env(const char *name);

/* ioctl() returning the result, or -errno when it fails. */
long vfio_ioctl(int fd, unsigned long request, void *arg);

int vfio_open_container(void);
/* IOMMU group number of a PCI device, or -errno. */
int vfio_group_id(const char *bdf);
/* Opens /dev/vfio/<group of bdf>, else noiommu-<group>: fd or -errno. */
int vfio_open_group(const char *bdf);
/* VFIO_GROUP_GET_STATUS: flags in *flags, 0 or -errno. */
int vfio_group_status(int group, uint32_t *flags);
int vfio_group_set_container(int group, int container);
int vfio_group_unset_container(int group);
int vfio_set_iommu(int container, unsigned long type);
int vfio_get_device_fd(int group, const char *name);

/* A device opened through its own container and group. */
struct vfio_dev {
	const char *bdf;
	int container;
	int group;
	int device;
	struct vfio_region_info config;
	struct vfio_region_info bar0;
	uint8_t *bar0_map;
};

/* Sets every fd to -1; call before anything else. */
void vfio_dev_init(struct vfio_dev *d, const char *bdf);
/*
 * Container, group, SET_CONTAINER, SET_IOMMU(type: VFIO_NOIOMMU_IOMMU
 * instead in a VM without IOMMU), GET_DEVICE_FD and the
 * config and BAR0 region infos: 0 or -errno (partial state is left for
 * vfio_dev_close()).
 */
int vfio_dev_open(struct vfio_dev *d, const char *bdf, unsigned long type);
/*
 * The same for a group already open, which @d then owns: into @container
 * (not owned) if >= 0, else into a new container with SET_IOMMU(type).
 */
int vfio_dev_attach(struct vfio_dev *d, const char *bdf, int group,
		    int container, unsigned long type);
void vfio_dev_close(struct vfio_dev *d);

int vfio_region_info(int device, uint32_t index, struct vfio_region_info *ri);
int vfio_irq_info(int device, uint32_t index, struct vfio_irq_info *ii);
/* pread/pwrite of exactly len bytes: 0, -errno, or -EIO when short. */
int vfio_region_read(int device, const struct vfio_region_info *ri,
		     uint64_t off, void *buf, size_t len);
int vfio_region_write(int device, const struct vfio_region_info *ri,
		      uint64_t off, const void *buf, size_t len);
/* Triggers for one vector of an IRQ index, eventfd < 0 disables. */
int vfio_irq_set_eventfd(int device, uint32_t index, int eventfd);
int vfio_irq_unmask(int device, uint32_t index);
/* Waits up to timeout_ms for an eventfd: 1 fired, 0 timed out, -errno. */
int vfio_eventfd_wait(int efd, int timeout_ms);

/* Type1 */
int vfio_map_dma(int container, void *vaddr, uint64_t iova, uint64_t size,
		 uint32_t flags);
/* Unmaps, returning the unmapped size in *unmapped when not NULL. */
int vfio_unmap_dma(int container, uint64_t iova, uint64_t size,
		   uint32_t flags, uint64_t *unmapped);
/* Anonymous, page-aligned, pre-touched memory; NULL on failure. */
void *vfio_alloc(size_t size);
void vfio_free(void *p, size_t size);

/*
 * True when Debian's stock 6.1 modules are loaded (the VM's --stock lane),
 * recognised by their vfio_pci_core module, which ours do not have.  For
 * tests of bugs that 6.1 has and we fixed: they skip there, and the
 * README's table of stock differences names them.
 */
bool vfio_stock_modules(void);
/* The VM has no IOMMU (tools/testing/vm/run --iommu none). */
bool vfio_noiommu_vm(void);

/*
 * The VM harness's hot-unplug: asks tools/testing/vm/run (through a file in
 * the directory VFIO_VM_REQUESTS) to remove QEMU's device "id" with QMP
 * device_del, and waits up to VM_REQUEST_TIMEOUT_MS for its answer.  0 once
 * QEMU has accepted the request: the guest then gets a PCIe hot-unplug
 * request and pciehp removes the device after its 5 s attention-button
 * delay (the caller waits for that).  -ENODEV for an unknown id,
 * -EOPNOTSUPP outside the test VM, -ETIMEDOUT without an answer, -EIO for
 * another refusal, else -errno.
 */
#define VM_REQUEST_TIMEOUT_MS	30000
/* QEMU's id of VFIO_HOTPLUG_EDU (tools/testing/vm/run) */
#define VM_HOTPLUG_EDU_ID	"hotplug-edu"
int vm_device_del(const char *id);

/* Drops a capability from the effective and permitted sets: 0 or -errno. */
int drop_cap(unsigned int cap);
int drop_cap_ipc_lock(void);

/* Writes all of val to a (sysfs or proc) file: 0, -errno or -EIO. */
int vfio_write_file(const char *path, const char *val);
/* The first line of a file into buf, without its newline: 0 or -errno. */
int vfio_read_line(const char *path, char *buf, size_t len);
/* A test pattern of len bytes that depends on seed */
void vfio_fill(uint8_t *p, size_t len, unsigned int seed);
/* Index of the first byte of p that is not c, or len */
size_t vfio_first_not(const uint8_t *p, size_t len, uint8_t c);

/* PCI sysfs */
/* Name of the bound driver in buf ("" when none): 0 or -errno. */
int pci_driver_name(const char *bdf, char *buf, size_t len);
/* driver_override in buf, "" when unset: 0 or -errno. */
int pci_get_driver_override(const char *bdf, char *buf, size_t len);
/* Sets driver_override ("" clears it): 0 or -errno. */
int pci_set_driver_override(const char *bdf, const char *driver);
/*
 * driver_override=driver, unbind, drivers_probe: 0 when driver is bound
 * afterwards, -ENXIO when its probe failed, else -errno.
 */
int pci_rebind(const char *bdf, const char *driver);
/* "DDDD:BB:SS.F" into its parts: 0 or -EINVAL. */
int pci_parse_name(const char *bdf, unsigned int *segment, unsigned int *bus,
		   unsigned int *devfn);
/* Size of /sys/bus/pci/devices/<bdf>/config, or -errno. */
long pci_config_size(const char *bdf);
/* Size of a BAR from /sys/bus/pci/devices/<bdf>/resource, or -errno. */
long long pci_bar_size(const char *bdf, unsigned int bar);

/* edu */
int edu_map_bar0(struct vfio_dev *d);
uint32_t edu_read32(struct vfio_dev *d, uint32_t reg);
void edu_write32(struct vfio_dev *d, uint32_t reg, uint32_t val);
void edu_write64(struct vfio_dev *d, uint32_t reg, uint64_t val);
/* Sets memory decode and bus master in the command register. */
int edu_enable(struct vfio_dev *d);
/* vfio_dev_open() with TYPE1v2, edu_map_bar0() and edu_enable(). */
int edu_open(struct vfio_dev *d, const char *bdf);
/*
 * One DMA transfer between the IOVA and the edu buffer at
 * EDU_DMA_BUF + off, polled until done: 0, or -ETIMEDOUT.
 */
int edu_dma(struct vfio_dev *d, uint64_t iova, uint32_t off, uint32_t len,
	    bool to_ram);

#endif /* VFIO_UTIL_H */
